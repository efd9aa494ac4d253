package dev.aide.auth;

/** What the person told Aide about themselves (PROCODE's user context): a short bio and their goals. */
public record UserContext(String bio, String goals) {

  public static final UserContext EMPTY = new UserContext(null, null);
}

package dev.aide.auth;

import dev.aide.platform.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/** Registration, login and the person's own profile. */
public final class AuthService {

  private final Vertx vertx;
  private final UserRepository users;
  private final PasswordHasher hasher;
  private final TokenService tokens;
  private final List<ProfileListener> listeners;
  // Checked against when the email is unknown, so a login takes as long whether or not the account exists.
  private final String dummyHash;

  public AuthService(Vertx vertx, UserRepository users, PasswordHasher hasher, TokenService tokens,
                     List<ProfileListener> listeners) {
    this.vertx = vertx;
    this.users = users;
    this.hasher = hasher;
    this.tokens = tokens;
    this.listeners = List.copyOf(listeners);
    this.dummyHash = hasher.hash(UUID.randomUUID().toString());
  }

  public Future<Registered> register(String email, String password, String name, ZoneId timezone) {
    return vertx.executeBlocking(() -> hasher.hash(password), false)
        .compose(hash -> users.insert(email, hash, name, timezone))
        .map(user -> new Registered(tokens.issue(user.id()), user));
  }

  public Future<String> login(String email, String password) {
    return users.findCredentials(email).compose(found -> vertx.executeBlocking(() -> {
      String hash = found.map(UserRepository.Credentials::passwordHash).orElse(dummyHash);
      if (!hasher.matches(password, hash) || found.isEmpty()) {
        throw ApiException.unauthorized("Wrong email or password");
      }
      return tokens.issue(found.get().user().id());
    }, false));
  }

  public Future<Profile> me(UUID userId) {
    return users.findById(userId)
        .map(found -> found.orElseThrow(() -> ApiException.unauthorized("The account no longer exists")))
        .compose(user -> users.context(userId).compose(context -> users.preferences(userId)
            .map(preferences -> new Profile(user, context, preferences))));
  }

  /** Changes the profile; a bio or goals given as null are cleared, absent ones are kept. */
  public Future<Profile> update(UUID userId, UserRepository.ProfileChanges changes, ContextChanges context,
                                Preferences.Changes preferences) {
    // One transaction: an answer that is an error means nothing of the change was kept.
    return users.updateAll(userId, changes, context.setBio(), context.bio(), context.setGoals(), context.goals(),
            preferences)
        .map(found -> found.orElseThrow(() -> ApiException.unauthorized("The account no longer exists")))
        .compose(user -> me(userId))
        .compose(profile -> Future.join(listeners.stream().map(l -> l.changed(profile)).toList()).map(profile));
  }

  /** Changes only the timezone (Telegram's /timezone), telling the listeners like any other profile change. */
  public Future<Profile> changeTimezone(UUID userId, ZoneId timezone) {
    return update(userId, new UserRepository.ProfileChanges(null, timezone, null, null),
        new ContextChanges(false, null, false, null),
        new Preferences.Changes(false, null, false, null, null, null, null));
  }

  /** Something that follows a person's profile, such as the digest's schedule (timezone, hour, on or off). */
  public interface ProfileListener {
    Future<Void> changed(Profile profile);
  }

  /** Which of bio and goals to set, and to what. */
  public record ContextChanges(boolean setBio, String bio, boolean setGoals, String goals) {
    boolean any() {
      return setBio || setGoals;
    }
  }

  /** A new account and its first token. */
  public record Registered(String token, User user) {}
}

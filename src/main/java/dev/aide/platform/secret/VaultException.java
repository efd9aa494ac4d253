package dev.aide.platform.secret;

/** A sealed value that cannot be opened: its key is not this instance's, or it was altered or moved to another row. */
public final class VaultException extends RuntimeException {

  public VaultException(String message) {
    super(message, null, false, false);
  }
}

package dev.aide.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;

/**
 * Argon2id password hashing through Password4j (parameters in psw4j.properties). Blocking and deliberately slow:
 * call it on a worker thread. A hash is checked with the parameters written in it, not the configured ones, so raising
 * the parameters later does not lock out the people whose hashes were made before.
 */
public final class PasswordHasher {

  public String hash(String password) {
    return Password.hash(password).addRandomSalt(16).withArgon2().getResult();
  }

  public boolean matches(String password, String hash) {
    if (hash == null) {
      return false;
    }
    try {
      return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    } catch (IllegalArgumentException e) { // Password4j's BadParametersException among others: not a hash of ours
      return false;
    }
  }
}

package dev.aide.auth;

import com.password4j.Password;

/**
 * Argon2id password hashing through Password4j (parameters in psw4j.properties). Blocking and deliberately slow:
 * call it on a worker thread.
 */
public final class PasswordHasher {

  public String hash(String password) {
    return Password.hash(password).addRandomSalt(16).withArgon2().getResult();
  }

  public boolean matches(String password, String hash) {
    return hash != null && Password.check(password, hash).withArgon2();
  }
}

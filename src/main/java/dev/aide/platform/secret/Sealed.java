package dev.aide.platform.secret;

/**
 * A value sealed by the {@link Vault}: the id of the key that sealed it, the random 96-bit nonce, and the AES-GCM
 * ciphertext with its 128-bit tag. Stored as three columns beside whatever the value belongs to.
 */
public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {

  @Override
  public String toString() {
    return "Sealed[keyId=" + keyId + ", " + ciphertext.length + " bytes]";
  }
}

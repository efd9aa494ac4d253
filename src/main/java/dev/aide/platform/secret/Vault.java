package dev.aide.platform.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets Aide keeps in its database (its JWT key, the webhook secret, later third-party tokens) with
 * AES-256-GCM: a random 96-bit nonce per value, the key's id stored with the value, and the value's place (its table,
 * row and column: the "context") as associated data, so a ciphertext copied to another row does not open.
 *
 * <p>Several keys can be known at once, the first sealing and all opening, so keys can be rotated: a value sealed
 * with an older key opens until it is sealed again with the current one.
 */
public final class Vault {

  /** The length of a key: AES-256. */
  public static final int KEY_BYTES = 32;

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String FORMAT = "aide-vault-v1";

  private final String currentId;
  private final Map<String, SecretKey> keys;
  private final SecureRandom random = new SecureRandom();

  private Vault(List<byte[]> keyBytes) {
    if (keyBytes.isEmpty()) {
      throw new IllegalArgumentException("a vault needs a key");
    }
    Map<String, SecretKey> byId = new LinkedHashMap<>();
    for (byte[] key : keyBytes) {
      if (key.length != KEY_BYTES) {
        throw new IllegalArgumentException("a vault key is " + KEY_BYTES + " bytes, not " + key.length);
      }
      byId.putIfAbsent(keyId(key), new SecretKeySpec(key.clone(), "AES"));
    }
    this.keys = Map.copyOf(byId);
    this.currentId = byId.keySet().iterator().next();
  }

  /** A vault that seals with {@code current} and also opens what {@code previous} keys sealed. */
  public static Vault of(byte[] current, byte[]... previous) {
    List<byte[]> all = new java.util.ArrayList<>();
    all.add(current);
    all.addAll(Arrays.asList(previous));
    return new Vault(all);
  }

  /**
   * The public name of a key: the first 8 bytes of SHA-256 over a label and the key, in hex. It tells keys apart
   * (which key sealed a row, whether two instances share one) and reveals nothing useful about the key.
   */
  public static String keyId(byte[] key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((FORMAT + " key id\0").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(key), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The id of the key new values are sealed with. */
  public String currentKeyId() {
    return currentId;
  }

  /** Seals {@code plaintext} for the place {@code context} names (e.g. "app_secrets/jwt"). */
  public Sealed seal(String context, byte[] plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(currentId, context));
      return new Sealed(currentId, nonce, cipher.doFinal(plaintext));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }

  public Sealed seal(String context, String plaintext) {
    return seal(context, plaintext.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The plaintext of a value sealed for {@code context}.
   *
   * @throws VaultException when the key that sealed it is not known here, or it was altered or sealed for another place
   */
  public byte[] open(String context, Sealed sealed) {
    SecretKey key = keys.get(sealed.keyId());
    if (key == null) {
      throw new VaultException(context + " was encrypted with secret key " + sealed.keyId()
          + ", but this instance's key is " + currentId);
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
      cipher.updateAAD(aad(sealed.keyId(), context));
      return cipher.doFinal(sealed.ciphertext());
    } catch (AEADBadTagException e) {
      throw new VaultException(context + " does not decrypt with secret key " + sealed.keyId()
          + ": it was altered, or copied from another row");
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new VaultException(context + " is not a valid sealed value (" + e.getClass().getSimpleName() + ")");
    }
  }

  public String openText(String context, Sealed sealed) {
    return new String(open(context, sealed), StandardCharsets.UTF_8);
  }

  private static byte[] aad(String keyId, String context) {
    return (FORMAT + "\0" + keyId + "\0" + context).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Vault[current key " + currentId + ", " + keys.size() + " key(s)]";
  }
}

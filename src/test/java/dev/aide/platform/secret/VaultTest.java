package dev.aide.platform.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The vault seals a value for one place with one key, and opens it only there, with that key")
class VaultTest {

  private static final byte[] KEY = key(1);
  private static final byte[] NEXT_KEY = key(2);

  @Test
  @DisplayName("a value opens to itself; sealing it twice gives different nonces and ciphertexts, neither holding the value")
  void roundTrip() {
    Vault vault = Vault.of(KEY);
    Sealed first = vault.seal("app_secrets/jwt", "s3cret-value-s3cret-value");
    Sealed second = vault.seal("app_secrets/jwt", "s3cret-value-s3cret-value");

    assertThat(vault.openText("app_secrets/jwt", first)).isEqualTo("s3cret-value-s3cret-value");
    assertThat(first.nonce()).hasSize(12).isNotEqualTo(second.nonce());
    assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext()).hasSize("s3cret-value-s3cret-value".length() + 16);
    assertThat(new String(first.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("s3cret");
    assertThat(first.keyId()).isEqualTo(Vault.keyId(KEY)).hasSize(16).isNotEqualTo(Vault.keyId(NEXT_KEY));
    assertThat(first.toString()).doesNotContain("s3cret");
  }

  @Test
  @DisplayName("a value sealed for one place does not open in another, nor once a bit of it changed")
  void boundAndTamperEvident() {
    Vault vault = Vault.of(KEY);
    Sealed sealed = vault.seal("app_secrets/telegram-webhook", "webhook");

    assertThatThrownBy(() -> vault.open("app_secrets/jwt", sealed))
        .isInstanceOf(VaultException.class).hasMessageContaining("copied from another row");
    byte[] flipped = sealed.ciphertext().clone();
    flipped[0] ^= 1;
    assertThatThrownBy(() -> vault.open("app_secrets/telegram-webhook", new Sealed(sealed.keyId(), sealed.nonce(), flipped)))
        .isInstanceOf(VaultException.class);
    byte[] otherNonce = sealed.nonce().clone();
    otherNonce[11] ^= 1;
    assertThatThrownBy(() -> vault.open("app_secrets/telegram-webhook", new Sealed(sealed.keyId(), otherNonce, sealed.ciphertext())))
        .isInstanceOf(VaultException.class);
  }

  @Test
  @DisplayName("another key cannot open it and says which key sealed it; a vault that also knows the old key opens it and seals with the new")
  void keysAndRotation() {
    Sealed old = Vault.of(KEY).seal("app_secrets/jwt", "value");

    assertThatThrownBy(() -> Vault.of(NEXT_KEY).open("app_secrets/jwt", old))
        .isInstanceOf(VaultException.class)
        .hasMessage("app_secrets/jwt was encrypted with secret key " + Vault.keyId(KEY) + ", but this instance's key is "
            + Vault.keyId(NEXT_KEY));
    Vault rotated = Vault.of(NEXT_KEY, KEY);
    assertThat(rotated.openText("app_secrets/jwt", old)).isEqualTo("value");
    assertThat(rotated.currentKeyId()).isEqualTo(Vault.keyId(NEXT_KEY));
    assertThat(rotated.seal("app_secrets/jwt", "value").keyId()).isEqualTo(Vault.keyId(NEXT_KEY));
    assertThat(rotated.toString()).doesNotContain(Arrays.toString(NEXT_KEY));
  }

  @Test
  @DisplayName("a key that is not 32 bytes is refused")
  void keyLength() {
    assertThatThrownBy(() -> Vault.of(new byte[16])).isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] key(int seed) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) seed);
    return key;
  }
}

package dev.aide.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The server hashes with the OWASP minimum Argon2id parameters of src/main/resources/psw4j.properties; the tests run
 * with a cheap copy of that file that shadows it on the test classpath. A hash is checked with the parameters written
 * in it, so a hash made with either set verifies with the other.
 */
@DisplayName("Passwords are hashed with Argon2id at the OWASP minimum in the server")
class PasswordParametersTest {

  @Test
  @DisplayName("the server's own psw4j.properties asks for Argon2id, 19 MiB, 2 iterations, 1 lane")
  void shippedParameters() throws IOException, URISyntaxException {
    Path classes = Path.of(PasswordHasher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Properties shipped = new Properties();
    try (InputStream in = Files.newInputStream(classes.resolve("psw4j.properties"))) {
      shipped.load(in);
    }
    assertThat(shipped.getProperty("hash.argon2.type")).isEqualTo("id");
    assertThat(shipped.getProperty("hash.argon2.memory")).isEqualTo("19456");
    assertThat(shipped.getProperty("hash.argon2.iterations")).isEqualTo("2");
    assertThat(shipped.getProperty("hash.argon2.parallelism")).isEqualTo("1");
  }

  @Test
  @DisplayName("a hash made with the server's parameters verifies, and a wrong password does not")
  void checkedWithTheParametersOfTheHash() {
    String shipped = Password.hash("correct horse battery").addRandomSalt(16)
        .with(Argon2Function.getInstance(19456, 2, 1, 32, Argon2.ID)).getResult();
    assertThat(shipped).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");

    PasswordHasher hasher = new PasswordHasher();
    assertThat(hasher.matches("correct horse battery", shipped)).isTrue();
    assertThat(hasher.matches("correct horse battery!", shipped)).isFalse();
    assertThat(hasher.hash("correct horse battery")).startsWith("$argon2id$").doesNotContain("m=19456");
    assertThat(hasher.matches("correct horse battery", "not a hash")).isFalse();
    assertThat(hasher.matches("correct horse battery", "$argon2id$v=19$m=0,t=0,p=0$$")).isFalse();
  }
}

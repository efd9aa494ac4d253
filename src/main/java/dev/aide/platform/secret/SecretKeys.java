package dev.aide.platform.secret;

import dev.aide.platform.config.AideConfig;
import dev.aide.platform.config.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the vault's key comes from: {@code AIDE_SECRET_KEY} when set, else the key file, which is generated (32
 * random bytes, base64, permissions 0600 in a 0700 folder) the first time Aide starts without one.
 */
public final class SecretKeys {

  private static final Logger LOG = LoggerFactory.getLogger(SecretKeys.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

  private SecretKeys() {}

  /** Blocking (it may read or write the key file): call at start-up, never on an event loop. */
  public static Vault vault(AideConfig.Secrets config) {
    byte[] current = config.key() != null ? config.key() : loadOrCreate(config.keyFile());
    return Vault.of(current, config.previousKeys().toArray(byte[][]::new));
  }

  /** The key in {@code file}, made first when there is none; several processes starting at once agree on one. */
  public static byte[] loadOrCreate(Path file) {
    if (Files.exists(file)) {
      return read(file);
    }
    byte[] key = new byte[Vault.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    boolean created;
    try {
      Path dir = file.toAbsolutePath().getParent();
      boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
      if (!Files.isDirectory(dir)) {
        if (posix) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } else {
          Files.createDirectories(dir);
        }
      }
      // Written whole to a private temporary file, then linked into place: the key file never exists half-written
      // or readable by others, and of two processes creating it at once one wins and the other reads its key.
      Path temp = posix
          ? Files.createTempFile(dir, ".secret-key-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
          : Files.createTempFile(dir, ".secret-key-", ".tmp");
      try {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          channel.write(ByteBuffer.wrap((Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII)));
          channel.force(true);
        }
        created = link(temp, file);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new ConfigException("config secret.keyFile (AIDE_SECRET_KEY_FILE) cannot create " + file + ": " + e.getMessage()
          + " (or set AIDE_SECRET_KEY)");
    }
    if (!created) {
      return read(file);
    }
    LOG.warn("Generated a new secret key (id {}) in {}, readable only by this user. Aide encrypts its stored secrets "
        + "with it: back it up, and give every instance sharing this database the same key (AIDE_SECRET_KEY or this "
        + "file)", Vault.keyId(key), file.toAbsolutePath());
    return key;
  }

  private static boolean link(Path temp, Path file) throws IOException {
    try {
      Files.createLink(file, temp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException e) {
      try {
        Files.move(temp, file);
        return true;
      } catch (FileAlreadyExistsException exists) {
        return false;
      }
    }
  }

  private static byte[] read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")
          && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
        LOG.warn("The secret key file {} can be read by other users: chmod 600 it", file.toAbsolutePath());
      }
    } catch (IOException e) {
      throw new ConfigException("config secret.keyFile (AIDE_SECRET_KEY_FILE) cannot read " + file + ": " + e.getMessage());
    }
    byte[] key = decode(text);
    if (key == null) {
      throw new ConfigException("config secret.keyFile (AIDE_SECRET_KEY_FILE) " + file + " does not hold a "
          + Vault.KEY_BYTES + "-byte key in base64");
    }
    return key;
  }

  /** A key in base64 (standard or URL-safe, padded or not), or null when the text is not one. */
  public static byte[] decode(String text) {
    if (text == null) {
      return null;
    }
    String trimmed = text.strip();
    for (Base64.Decoder decoder : new Base64.Decoder[] {Base64.getDecoder(), Base64.getUrlDecoder()}) {
      try {
        byte[] key = decoder.decode(trimmed);
        if (key.length == Vault.KEY_BYTES) {
          return key;
        }
      } catch (IllegalArgumentException e) {
        // Try the other alphabet.
      }
    }
    return null;
  }
}

package dev.aide.platform.config;

/** A missing or malformed configuration value; its message is one line naming the key. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}

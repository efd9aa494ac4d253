package dev.aide.speech;

import java.util.Locale;
import java.util.Optional;

/**
 * The recording formats the OpenAI-compatible transcription endpoints take (FLAC, M4A/MP4, MP3, OGG, WAV, WebM),
 * told by the file's first bytes rather than its name or declared type, which phones and shortcuts get wrong: the
 * file is sent on under a name with the right extension, from which the servers tell the format.
 */
public enum AudioFormat {
  WAV("wav", "audio/wav"),
  FLAC("flac", "audio/flac"),
  OGG("ogg", "audio/ogg"),
  WEBM("webm", "audio/webm"),
  M4A("m4a", "audio/mp4"),
  MP3("mp3", "audio/mpeg");

  /** For error messages. */
  public static final String NAMES = "FLAC, M4A/MP4, MP3, OGG/Opus, WAV or WebM";

  private final String extension;
  private final String mimeType;

  AudioFormat(String extension, String mimeType) {
    this.extension = extension;
    this.mimeType = mimeType;
  }

  public String extension() {
    return extension;
  }

  public String mimeType() {
    return mimeType;
  }

  /** The format of a recording starting with these bytes, or empty when it is none of these. */
  public static Optional<AudioFormat> sniff(byte[] head) {
    if (head.length >= 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE")) {
      return Optional.of(WAV);
    }
    if (head.length >= 4 && ascii(head, 0, "fLaC")) {
      return Optional.of(FLAC);
    }
    if (head.length >= 4 && ascii(head, 0, "OggS")) {
      return Optional.of(OGG);
    }
    if (head.length >= 4 && (head[0] & 0xff) == 0x1a && (head[1] & 0xff) == 0x45 && (head[2] & 0xff) == 0xdf
        && (head[3] & 0xff) == 0xa3) {
      return Optional.of(WEBM);
    }
    if (head.length >= 8 && ascii(head, 4, "ftyp")) {
      return Optional.of(M4A);
    }
    if (head.length >= 3 && ascii(head, 0, "ID3")) {
      return Optional.of(MP3);
    }
    // An MPEG audio frame: 11 sync bits, then a layer that is not "reserved" (ADTS AAC has layer 0 and is not taken).
    if (head.length >= 2 && (head[0] & 0xff) == 0xff && (head[1] & 0xe0) == 0xe0 && (head[1] & 0x06) != 0) {
      return Optional.of(MP3);
    }
    return Optional.empty();
  }

  /**
   * Whether a declared media type may be a recording: audio/*, the video containers that carry sound only as often
   * (mp4, webm, ogg), or no type in particular. Parameters ("; codecs=opus") are ignored.
   */
  public static boolean plausible(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return true;
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.startsWith("audio/") || type.equals("video/mp4") || type.equals("video/webm")
        || type.equals("video/ogg") || type.equals("application/ogg") || type.equals("application/octet-stream");
  }

  private static boolean ascii(byte[] bytes, int at, String text) {
    for (int i = 0; i < text.length(); i++) {
      if (bytes[at + i] != (byte) text.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}

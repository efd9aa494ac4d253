package dev.aide.channel.voice;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Small real recordings for the voice tests. */
final class Recordings {

  private Recordings() {}

  /** A WAV file (RIFF, PCM, 16-bit mono at 8 kHz) of this many samples of silence: what a phone records, shorter. */
  static byte[] wav(int samples) {
    int data = samples * 2;
    ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + data).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000)
        .putShort((short) 2).putShort((short) 16);
    b.put("data".getBytes()).putInt(data);
    return b.array();
  }

  /** The first bytes of an M4A file as iPhone voice memos and shortcuts write it (an ISO base media "ftyp" box). */
  static byte[] m4a() {
    byte[] bytes = new byte[2048];
    byte[] head = {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'M', '4', 'A', ' ', 0, 0, 0, 0};
    System.arraycopy(head, 0, bytes, 0, head.length);
    return bytes;
  }
}

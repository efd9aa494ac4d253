package dev.aide.conversation;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per key, held only while someone uses it: turns of one conversation run in order while different
 * conversations never wait on each other (a striped lock would make unrelated conversations collide).
 */
final class KeyedLocks<K> {

  private final ConcurrentHashMap<K, Entry> locks = new ConcurrentHashMap<>();

  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    int users;
  }

  <T> T withLock(K key, Supplier<T> work) {
    Entry entry = locks.compute(key, (k, e) -> {
      Entry held = e == null ? new Entry() : e;
      held.users++;
      return held;
    });
    entry.lock.lock();
    try {
      return work.get();
    } finally {
      entry.lock.unlock();
      locks.compute(key, (k, e) -> --e.users == 0 ? null : e);
    }
  }

  int size() {
    return locks.size();
  }
}

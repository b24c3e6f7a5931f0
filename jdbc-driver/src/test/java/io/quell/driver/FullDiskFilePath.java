package io.quell.driver;

import org.h2.store.fs.FileBaseDefault;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

/**
 * H2 file system {@code fulldisk:} over the default one, whose disk can be declared full: files
 * then cannot grow, and a write past a file's end fails as the operating system's does,
 * "No space left on device", while writes inside existing space still succeed.
 */
public final class FullDiskFilePath extends FilePathWrapper {
  static final String SCHEME = "fulldisk";
  private static volatile boolean full;

  static {
    FilePath.register(new FullDiskFilePath());
  }

  /** H2 makes a path of this scheme by reflection. */
  public FullDiskFilePath() {
  }

  /** Registers the file system with H2 (once per JVM). */
  static void register() {
    // the static initializer does it
  }

  static void setFull(boolean isFull) {
    full = isFull;
  }

  @Override public String getScheme() {
    return SCHEME;
  }

  @Override public FileChannel open(String mode) throws IOException {
    return new Channel(super.open(mode));
  }

  /** A file of the full disk. */
  private static final class Channel extends FileBaseDefault {
    private final FileChannel base;

    Channel(FileChannel base) {
      this.base = base;
    }

    @Override public int read(ByteBuffer dst, long position) throws IOException {
      return base.read(dst, position);
    }

    @Override public int write(ByteBuffer src, long position) throws IOException {
      if (full && position + src.remaining() > base.size()) {
        throw new IOException("No space left on device");
      }
      return base.write(src, position);
    }

    @Override public long size() throws IOException {
      return base.size();
    }

    @Override protected void implTruncate(long size) throws IOException {
      base.truncate(size);
    }

    @Override public void force(boolean metaData) throws IOException {
      base.force(metaData);
    }

    @Override public FileLock tryLock(long position, long size, boolean shared)
        throws IOException {
      return base.tryLock(position, size, shared);
    }

    @Override protected void implCloseChannel() throws IOException {
      base.close();
    }
  }
}

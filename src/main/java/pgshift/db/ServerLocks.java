package pgshift.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Consumer;

import pgshift.failure.PgshiftException;

/**
 * The file locks that let several pgshift processes share one embedded server: {@code start.lock}
 * (held while one of them starts or stops the server, so no one adopts a server that is being
 * stopped, and two never start one at once) and {@code users.lock} (held shared by every process
 * using the server, so the last one to finish can tell it is the last). The operating system
 * drops a process's locks when it ends, however it ends.
 */
final class ServerLocks {

    private final Path home;

    ServerLocks(Path home) {
        this.home = home;
    }

    /** The start lock, waiting up to {@code timeout} for another pgshift starting or stopping the server. */
    FileLock starting(Duration timeout, Consumer<String> notices) {
        FileChannel channel = open("start.lock");
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean said = false;
        try {
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
                if (!said) {
                    notices.accept("Waiting up to " + timeout.toSeconds() + " s for another pgshift to finish starting "
                            + "or stopping the embedded PostgreSQL in " + home + "...");
                    said = true;
                }
                if (System.nanoTime() > deadline) {
                    channel.close();
                    throw PgshiftException.config("Timed out after " + timeout.toSeconds() + " s waiting for another "
                            + "pgshift to start or stop the embedded PostgreSQL in " + home + " (it holds "
                            + home.resolve("start.lock") + "). Let it finish, or end it, then run the command again.");
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            close(channel);
            throw PgshiftException.config("Cannot lock " + home.resolve("start.lock") + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            close(channel);
            Thread.currentThread().interrupt();
            throw PgshiftException.cancelled("Cancelled while waiting for another pgshift to start the embedded PostgreSQL.");
        }
    }

    /** A share of the users lock, for as long as this process uses the server. */
    FileLock joinUsers() {
        FileChannel channel = open("users.lock");
        try {
            return channel.lock(0, Long.MAX_VALUE, true);
        } catch (IOException e) {
            close(channel);
            throw PgshiftException.config("Cannot lock " + home.resolve("users.lock") + ": " + e.getMessage(), e);
        }
    }

    /** The users lock alone, or null while another process holds a share of it. Call holding the start lock. */
    FileLock aloneOrNull() {
        FileChannel channel = open("users.lock");
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
            }
            return lock;
        } catch (IOException e) {
            close(channel);
            return null; // not known to be alone: leave the server running
        }
    }

    /** Releases a lock and closes its file. */
    static void release(FileLock lock) {
        if (lock != null) {
            close(lock.channel());
        }
    }

    private FileChannel open(String name) {
        try {
            return FileChannel.open(home.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
        } catch (IOException e) {
            throw PgshiftException.config("Cannot open " + home.resolve(name) + ": " + e.getMessage()
                    + ". pgshift keeps its embedded database's locks there: check the folder's permissions.", e);
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing releases the lock; a channel that cannot close is released when the process ends.
        }
    }
}

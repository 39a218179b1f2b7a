package pgshift.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class SendAheadTest {

    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    /** A call the server is still running until the test releases it. */
    private SendAhead.Call running(String name) {
        return () -> {
            ran.add(name + " started");
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.add(name + " ended");
        };
    }

    @Test
    void closeReturnsOnlyOnceTheRunningCallHasEndedAndDropsTheQueuedOnes() throws Exception {
        SendAhead ahead = new SendAhead("send-ahead-test");
        try {
            ahead.submit(running("a"));
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains("a started"));
            ahead.submit(() -> ran.add("b"));

            Thread closer = Thread.currentThread();
            // Released only once close() is blocked: a close that returned at once would find "a" still running.
            CompletableFuture<Void> releaser = CompletableFuture.runAsync(() -> {
                await().atMost(Duration.ofSeconds(10)).until(() -> closer.getState() == Thread.State.WAITING);
                release.countDown();
            });
            ahead.close();

            assertThat(ran).as("the running call ended before close returned; the queued one never ran")
                    .containsExactly("a started", "a ended");
            releaser.get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
        }
    }

    @Test
    void finishRunsEveryQueuedCallBeforeItReturns() throws Exception {
        try (SendAhead ahead = new SendAhead("send-ahead-test")) {
            ahead.submit(running("a"));
            ahead.submit(() -> ran.add("b"));
            release.countDown();
            ahead.finish();
            assertThat(ran).containsExactly("a started", "a ended", "b");
        }
    }
}

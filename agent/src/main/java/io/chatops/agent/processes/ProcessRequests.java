package io.chatops.agent.processes;

import io.chatops.protocol.ErrorMessage;
import io.chatops.protocol.Message;
import io.chatops.protocol.ProcessesRequest;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Answers the hub's process list requests off the link's thread, one at a time: a few may wait,
 * more are refused as {@code busy}. The worker thread ends when idle, so that an agent nobody asks
 * keeps no thread for it.
 */
public final class ProcessRequests implements AutoCloseable {
    private final TopProcesses top;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4), task -> {
        Thread thread = new Thread(task, "processes");
        thread.setDaemon(true);
        return thread;
    });

    public ProcessRequests(TopProcesses top) {
        this.top = top;
        worker.allowCoreThreadTimeOut(true);
    }

    public void dispatch(ProcessesRequest request, Consumer<Message> reply) {
        try {
            worker.execute(() -> reply.accept(answer(request)));
        } catch (RejectedExecutionException e) {
            reply.accept(new ErrorMessage(request.id(), "busy", "the agent is already listing processes for several requests"));
        }
    }

    private Message answer(ProcessesRequest request) {
        try {
            return top.take(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ErrorMessage(request.id(), "processes_failed", "the agent is stopping");
        } catch (IOException | RuntimeException e) {
            return new ErrorMessage(request.id(), "processes_failed", "cannot list the processes: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}

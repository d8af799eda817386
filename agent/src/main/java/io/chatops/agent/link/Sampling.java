package io.chatops.agent.link;

import io.chatops.agent.log.Log;
import io.chatops.protocol.CollectorError;
import io.chatops.protocol.Metrics;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * The agent's sampling schedule, run on the link's thread: a sample every interval into the
 * {@link Outbox}, sent at once while connected. After each handshake the numbering is caught up
 * with the hub, what the hub has not stored is resent and, the first time, a sample is taken at
 * once. An interval the hub asks for is adopted without reconnecting: the next sample is taken at
 * most one new interval from then. When the hub acknowledged nothing for {@link #RESEND_AFTER}
 * while samples wait, the oldest is sent again (a hub that could not store a sample takes nothing
 * newer until it comes again), and once that is acknowledged the others follow: a full disk on
 * the hub delays samples, without a reconnect to bring them back.
 */
final class Sampling {
    /** Where samples go: sent to the hub when it is connected; false when not. */
    interface Sender {
        boolean sendIfConnected(Metrics sample);

        boolean isConnected();
    }

    static final Duration RESEND_AFTER = Duration.ofSeconds(30);
    /** How far a sample's timestamp may stray from the link's monotonic clock before it is flagged. */
    static final Duration CLOCK_STEP_LIMIT = Duration.ofSeconds(2);

    private static final Log LOG = Log.named("link");

    private final Scheduler scheduler;
    private final Outbox outbox;
    private final SeqCounter seq;
    private final SampleSource samples;
    private final Sender sender;

    private Duration interval;
    private Instant nextSampleAt;
    private boolean firstSampleSent;
    private boolean stopped;
    private Scheduler.Cancellable timer;
    /**
     * Since when the hub owes an acknowledgement: its last one that dropped something, the link coming
     * up, a sample taken with none waiting, or the oldest sent again.
     */
    private Instant lastProgress;
    private boolean oldestSentAgain;
    /** The previous sample's timestamp (wall clock) and when it was taken by the link's own clock. */
    private Instant previousTimestamp;
    private Instant previousTakenAt;
    /** Samples dropped from the full outbox that a sample sent to the hub has already reported. */
    private long droppedReported;

    Sampling(Duration interval, Scheduler scheduler, Outbox outbox, SeqCounter seq, SampleSource samples, Sender sender) {
        this.interval = interval;
        this.scheduler = scheduler;
        this.outbox = outbox;
        this.seq = seq;
        this.samples = samples;
        this.sender = sender;
    }

    void start() {
        nextSampleAt = scheduler.now().plus(interval);
        timer = scheduler.schedule(interval, this::tick);
    }

    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel();
        }
    }

    Duration interval() {
        return interval;
    }

    void acknowledge(long seqStored) {
        int waiting = outbox.size();
        outbox.acknowledge(seqStored);
        if (outbox.size() < waiting) {
            lastProgress = scheduler.now();
            if (oldestSentAgain) { // the hub stores again: the rest follow
                oldestSentAgain = false;
                sendAllPending();
            }
        }
    }

    /** A handshake succeeded; {@code hubLastSeq} is the newest sample the hub holds. */
    void connected(long hubLastSeq, Duration hubInterval) {
        adopt(hubInterval);
        try {
            catchUp(hubLastSeq);
        } catch (IOException e) {
            LOG.error("cannot write the sample counter: %s", e.getMessage());
        }
        sendAllPending();
        lastProgress = scheduler.now();
        oldestSentAgain = false;
    }

    /** Everything not acknowledged yet, oldest first. */
    private void sendAllPending() {
        for (Metrics pending : outbox.pending()) {
            sender.sendIfConnected(pending);
        }
    }

    /** After the first handshake, the first sample goes out right away instead of an interval later. */
    void sampleNowIfFirstConnection() {
        if (!firstSampleSent) {
            if (timer != null) {
                timer.cancel();
            }
            nextSampleAt = null;
            tick();
        }
    }

    /** Samples every {@code fromHub} from now on; the next sample comes no later than one new interval from now. */
    void adopt(Duration fromHub) {
        if (fromHub.equals(interval)) {
            return;
        }
        LOG.info("the hub asks for a sample every %d s (was %d s)", fromHub.toSeconds(), interval.toSeconds());
        interval = fromHub;
        Instant latest = scheduler.now().plus(interval);
        if (nextSampleAt == null || nextSampleAt.isAfter(latest)) {
            nextSampleAt = latest;
            if (timer != null) {
                timer.cancel();
            }
            timer = scheduler.schedule(interval, this::tick);
        }
    }

    /** Continues numbering after the hub's last sample when the hub knows more than this agent. */
    private void catchUp(long hubLastSeq) throws IOException {
        if (hubLastSeq <= seq.last()) {
            outbox.acknowledge(hubLastSeq);
            return;
        }
        LOG.warn("the hub holds samples up to #%d, beyond this agent's #%d (was the state directory lost?): "
                + "numbering continues after it", hubLastSeq, seq.last());
        outbox.renumberFrom(hubLastSeq + 1);
        seq.skipPast(hubLastSeq + outbox.size());
    }

    /**
     * A sample whose timestamp moved more than {@link #CLOCK_STEP_LIMIT} away from the time the link's
     * monotonic clock measured since the previous one says so in its {@code errors}: the wall clock
     * was set (by hand, or by NTP after a drift), and the hub can tell that this timestamp and the
     * rates against the previous sample are not to be trusted blindly.
     */
    private Metrics withClockStepFlagged(Metrics sample) {
        Instant takenAt = scheduler.now();
        Duration step = previousTimestamp == null ? Duration.ZERO
                : Duration.between(previousTimestamp, sample.timestamp()).minus(Duration.between(previousTakenAt, takenAt));
        previousTimestamp = sample.timestamp();
        previousTakenAt = takenAt;
        if (step.abs().compareTo(CLOCK_STEP_LIMIT) <= 0) {
            return sample;
        }
        LOG.warn("the wall clock was set %s by %d s since the previous sample", step.isNegative() ? "back" : "forward", step.abs().toSeconds());
        return sample.withError(new CollectorError("clock", "the wall clock was set " + (step.isNegative() ? "back" : "forward") + " by "
                + step.abs().toSeconds() + " s since the previous sample"));
    }

    /**
     * Samples the full outbox dropped during an outage are reported in the {@code errors} of the first
     * sample taken once the hub is reachable again, so that the hub shows why its history has a hole.
     */
    private Metrics withDropsReported(Metrics sample) {
        long dropped = outbox.dropped() - droppedReported;
        if (dropped == 0 || !sender.isConnected()) {
            return sample;
        }
        droppedReported = outbox.dropped();
        return sample.withError(new CollectorError("outbox", dropped + " older samples were dropped while the hub was away: the outbox"
                + " holds " + outbox.capacity() + " (-buffer)"));
    }

    private void sendOldestAgainIfStuck() {
        Instant now = scheduler.now();
        if (lastProgress != null && outbox.size() > 0 && !now.isBefore(lastProgress.plus(RESEND_AFTER))
                && sender.sendIfConnected(outbox.oldest())) {
            LOG.info("the hub acknowledged nothing for %d s: sending sample #%d again", Duration.between(lastProgress, now).toSeconds(),
                    outbox.oldest().seq());
            lastProgress = now;
            oldestSentAgain = true;
        }
    }

    private void tick() {
        if (stopped) {
            return;
        }
        try {
            Metrics sample = withClockStepFlagged(withDropsReported(samples.sample(seq.next(), interval)));
            if (outbox.size() == 0) {
                lastProgress = scheduler.now(); // the hub owes nothing before this one
            }
            if (outbox.add(sample) && (outbox.dropped() == 1 || outbox.dropped() % 100 == 0)) {
                LOG.warn("the outbox is full: %d oldest samples dropped so far", outbox.dropped());
            }
            if (sender.sendIfConnected(sample)) {
                firstSampleSent = true;
            }
        } catch (IOException e) {
            LOG.error("cannot write the sample counter, skipping this sample: %s", e.getMessage());
        }
        sendOldestAgainIfStuck();
        // Fixed rate from the planned time, not from now, so that samples do not drift.
        Instant now = scheduler.now();
        nextSampleAt = nextSampleAt == null || nextSampleAt.isBefore(now) ? now.plus(interval) : nextSampleAt.plus(interval);
        while (!nextSampleAt.isAfter(now)) {
            nextSampleAt = nextSampleAt.plus(interval);
        }
        timer = scheduler.schedule(Duration.between(now, nextSampleAt), this::tick);
    }
}

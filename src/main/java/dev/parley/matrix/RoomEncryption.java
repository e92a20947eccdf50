package dev.parley.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.config.MatrixServerConfig;
import dev.parley.core.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one {@link MatrixRoom} knows and does about end-to-end encryption. parley has no encryption of its own: in
 * an encrypted room it is either behind an encrypting proxy (pantalaimon; config {@code e2e-proxy}) or it cannot
 * read what humans write and posts in the clear. It never fails silently:
 *
 * <ul>
 *   <li>an encrypted room without a proxy is logged and told to the operators once (as a room problem), or, with
 *       {@code encrypted-rooms = refuse}, the room refuses to start;</li>
 *   <li>each human message that arrives still encrypted is counted, and reported in the room once per sender in
 *       {@link #REPORT_EVERY} (behind a proxy this means the proxy had no key for it);</li>
 *   <li>behind a proxy, each identity's first message waits until the proxy knows the room's members' devices
 *       (see {@link #primed}).</li>
 * </ul>
 */
final class RoomEncryption {
    private static final Logger log = LoggerFactory.getLogger(RoomEncryption.class);

    /** A sender whose unreadable messages were reported hears it again only after this long. */
    static final Duration REPORT_EVERY = Duration.ofMinutes(10);
    /**
     * The harmless event an identity sends first behind a proxy, and redacts. A custom type: clients that can decrypt
     * it show nothing, and once redacted the others show at most "message deleted".
     */
    static final String PRIMER_TYPE = "dev.parley.primer";
    /** How long after the primer the first real message waits: the proxy's sync loop queries keys in that time. */
    static final Duration PRIMER_SETTLE = Duration.ofSeconds(4);
    /**
     * How long an identity stays quiet before its primer: its own join (or the one before it) has just woken the
     * proxy's sync loop, and a loop that learns devices while the primer's key is being shared marks that key
     * shared anyway (see {@link #inTurn}); after a quiet moment the loop is back waiting, and the primer itself is
     * what wakes it, once the sharing is over.
     */
    static final Duration PRIMER_QUIET = Duration.ofSeconds(2);
    /** A primer refused with 403 (the proxy's own sync has not seen the join yet) is tried again, this often. */
    private static final int PRIMER_ATTEMPTS = 40;
    private static final Duration PRIMER_RETRY = Duration.ofMillis(500);

    static final String CANNOT_READ = "I can't read encrypted messages here; see docs/matrix.md";

    private final MatrixServerConfig.Encryption config;
    private final String roomName;
    private final Scheduler scheduler;
    private final Consumer<String> problem;
    private final Consumer<String> notice;

    private final CompletableFuture<Boolean> encryptedAtJoin = new CompletableFuture<>();
    private volatile boolean encrypted;
    private final AtomicBoolean announced = new AtomicBoolean();
    private final AtomicBoolean proxySeen = new AtomicBoolean();
    private final AtomicLong unreadable = new AtomicLong();
    private final Map<String, Instant> lastReported = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<MatrixClient>> primedBy = new ConcurrentHashMap<>();
    /** The last identity's priming: the next starts when it is over (see {@link #inTurn}). */
    private CompletableFuture<?> primingTurn = CompletableFuture.completedFuture(null);

    /**
     * @param problem told to the log and the operators (MatrixRoom's room problems)
     * @param notice  posted in the room by the control identity
     */
    RoomEncryption(MatrixServerConfig.Encryption config, String roomName, Scheduler scheduler,
                   Consumer<String> problem, Consumer<String> notice) {
        this.config = config;
        this.roomName = roomName;
        this.scheduler = scheduler;
        this.problem = problem;
        this.notice = notice;
    }

    /**
     * Reads the room's {@code m.room.encryption} state once joined. Completes normally when the room may run, and
     * exceptionally (a {@link MatrixException} saying why) when it is encrypted, there is no proxy and the config
     * says refuse. A state that cannot be read is not a refusal: /sync reports the state later anyway.
     */
    CompletableFuture<Void> checkAtJoin(MatrixClient control, String roomId) {
        return control.request("GET", List.of("rooms", roomId, "state", "m.room.encryption", ""), Map.of(), null, true)
                .handle((content, e) -> {
                    Throwable cause = e == null ? null : MatrixClient.unwrap(e);
                    if (cause != null && !(cause instanceof MatrixException m && m.status() == 404)) {
                        log.warn("{}: cannot read whether the room is encrypted ({}); /sync will tell", roomName,
                                cause.toString());
                    }
                    boolean isEncrypted = cause == null && content.hasNonNull("algorithm");
                    encryptedAtJoin.complete(isEncrypted);
                    if (!isEncrypted) {
                        return null;
                    }
                    String algorithm = content.path("algorithm").asText();
                    if (config.proxy()) {
                        encrypted = true;
                        log.info("{}: the room is end-to-end encrypted ({}); parley reads and writes through its "
                                + "encrypting proxy", roomName, algorithm);
                        return null;
                    }
                    if (config.encryptedRooms() == MatrixServerConfig.EncryptedRooms.REFUSE) {
                        encrypted = true;
                        throw new java.util.concurrent.CompletionException(new MatrixException(0, "",
                                "the room is end-to-end encrypted and parley is not behind an encrypting proxy "
                                        + "(e2e-proxy = false), so it refuses to run here (encrypted-rooms = refuse); "
                                        + "see docs/matrix.md"));
                    }
                    becameEncrypted();
                    return null;
                });
    }

    /**
     * Looks at one event of /sync (state or timeline). Returns true when it was about encryption and is handled
     * here: {@code m.room.encryption} (the room is, or became, encrypted) and {@code m.room.encrypted} (a message
     * parley cannot read; {@code deliver}: a live one, not history skipped at first start). {@code own}: sent by
     * one of parley's own identities, which is never reported.
     */
    boolean handle(RoomEvent ev, boolean own, boolean deliver) {
        String type = ev.type();
        if (type.equals("m.room.encryption")) {
            if (ev.stateKey().isEmpty() && ev.content().hasNonNull("algorithm")) {
                becameEncrypted();
            }
            return true;
        }
        if (ev.decrypted() && !config.proxy() && proxySeen.compareAndSet(false, true)) {
            // pantalaimon marks what it decrypted so: there is a proxy, and the config does not know it.
            log.warn("{}: events arrive decrypted by a proxy, but e2e-proxy is false for this server; set it to "
                    + "true (see docs/matrix.md)", roomName);
        }
        if (!type.equals("m.room.encrypted")) {
            return false;
        }
        if (!deliver || own) {
            return true;
        }
        String sender = ev.sender();
        long n = unreadable.incrementAndGet();
        Instant now = scheduler.now();
        Instant last = lastReported.get(sender);
        boolean report = last == null || !now.isBefore(last.plus(REPORT_EVERY));
        log.warn("{}: an encrypted message from {} could not be read ({} so far){}", roomName, sender, n,
                config.proxy() ? ": the proxy has no key for it" : "");
        if (report) {
            lastReported.put(sender, now);
            notice.accept(MatrixIds.localpart(sender) + ": " + (config.proxy()
                    ? "I could not decrypt your message (my encrypting proxy has no key for it yet); please say it "
                    + "again; see docs/matrix.md"
                    : CANNOT_READ));
        }
        return true;
    }

    private void becameEncrypted() {
        encrypted = true;
        if (config.proxy() || !announced.compareAndSet(false, true)) {
            return;
        }
        problem.accept(roomName + ": this room is end-to-end encrypted and parley is not behind an encrypting "
                + "proxy: it cannot read what people write here (commands included) and its own messages are not "
                + "encrypted; see docs/matrix.md");
    }

    /**
     * The client {@code who} of identity {@code key} once it may send its first message. Behind a proxy, in an
     * encrypted room, that is after a primer: pantalaimon fetches a room's members only when an identity first
     * sends there, but queries their devices' keys only in its next sync round, so that first message would be
     * encrypted for none of the humans' devices (the start-up race). The primer is that first message: a
     * harmless event of {@link #PRIMER_TYPE}, redacted after {@link #PRIMER_SETTLE}; the real first message goes
     * out after it, under a session shared with every device then known. Without a proxy, or in a room that is
     * not encrypted, {@code who} as it is.
     */
    CompletableFuture<MatrixClient> primed(String key, CompletableFuture<MatrixClient> who, String roomId) {
        if (!config.proxy()) {
            return who;
        }
        // A failed one is not kept: the seat's client may be a new one the next time (a join tried afresh).
        return primedBy.compute(key, (k, before) -> before != null && !before.isCompletedExceptionally() ? before
                : encryptedAtJoin.thenCombine(who, (enc, c) -> enc ? c : null)
                        .thenCompose(c -> c == null ? who : inTurn(() -> afterQuiet().thenCompose(
                                v -> prime(c, roomId, 0)))));
    }

    /**
     * Runs one identity's priming after the previous one's is over, redaction included. pantalaimon's client marks
     * a room key "shared" when its sharing ends, even if the members' devices were learned meanwhile; an event from
     * another identity landing during a share wakes its sync loop, which then learns the devices mid-share, and that
     * identity encrypts for ever with a key the humans never got (seen with three identities primed at once). One
     * at a time, nothing else of ours happens in the room while an identity shares.
     */
    private synchronized CompletableFuture<MatrixClient> inTurn(
            java.util.function.Supplier<CompletableFuture<MatrixClient>> step) {
        CompletableFuture<MatrixClient> mine = primingTurn.handle((v, e) -> null).thenCompose(v -> step.get());
        primingTurn = mine;
        return mine;
    }

    private CompletableFuture<Void> afterQuiet() {
        CompletableFuture<Void> quiet = new CompletableFuture<>();
        scheduler.schedule(PRIMER_QUIET, () -> quiet.complete(null));
        return quiet;
    }

    private CompletableFuture<MatrixClient> prime(MatrixClient c, String roomId, int attempt) {
        String txn = "parley.primer." + Long.toHexString(System.nanoTime()) + "." + attempt;
        return c.send(roomId, PRIMER_TYPE, txn, MatrixClient.MAPPER.createObjectNode())
                .handle((eventId, e) -> {
                    if (e == null) {
                        CompletableFuture<MatrixClient> settled = new CompletableFuture<>();
                        scheduler.schedule(PRIMER_SETTLE, () -> c.redact(roomId, eventId, txn + ".redact", null)
                                .whenComplete((v, x) -> {
                                    if (x != null) {
                                        log.debug("{}: primer {} not redacted: {}", roomName, eventId, x.toString());
                                    }
                                    settled.complete(c);
                                }));
                        return settled;
                    }
                    Throwable cause = MatrixClient.unwrap(e);
                    if (cause instanceof MatrixException m && m.status() == 403 && attempt < PRIMER_ATTEMPTS
                            && !c.isClosed()) {
                        // The proxy's own sync has not seen this identity join yet.
                        CompletableFuture<MatrixClient> again = new CompletableFuture<>();
                        scheduler.schedule(PRIMER_RETRY, () -> prime(c, roomId, attempt + 1).whenComplete((r, x) -> {
                            if (x == null) {
                                again.complete(r);
                            } else {
                                again.completeExceptionally(x);
                            }
                        }));
                        return again;
                    }
                    // Not fatal: the message itself goes out, at worst not readable for the first devices.
                    log.warn("{}: the primer before the first encrypted message failed ({}); sending anyway",
                            roomName, cause.toString());
                    return CompletableFuture.completedFuture(c);
                })
                .thenCompose(f -> f);
    }

    /** True once the room is known to be end-to-end encrypted. */
    boolean encrypted() {
        return encrypted;
    }

    /** How many humans' messages arrived that parley could not read. */
    long unreadable() {
        return unreadable.get();
    }

    /** One line for a status report: empty when there is nothing to say. */
    String status() {
        if (!encrypted) {
            return "";
        }
        if (config.proxy()) {
            return "end-to-end encrypted, through the encrypting proxy" + (unreadable.get() == 0 ? ""
                    : "; " + unreadable.get() + " message(s) it could not decrypt");
        }
        return "end-to-end encrypted, and parley cannot read it (no encrypting proxy); " + unreadable.get()
                + " unreadable message(s)";
    }
}

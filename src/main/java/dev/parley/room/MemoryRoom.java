package dev.parley.room;

import dev.parley.core.SeatId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A room in memory, like Errbot's test backend: records everything shown in it and lets a test (or a benchmark)
 * speak as a human and move seats in and out. All seats are present as soon as it opens, unless told otherwise.
 */
public final class MemoryRoom implements Room {
    /** One thing shown in the room, in order. {@code seat} is null for notices and relays. */
    public record Shown(Kind kind, SeatId seat, String text) { }

    public enum Kind { POST, NOTICE, RELAY, TYPING_ON, TYPING_OFF, JOIN, PART, RETRACT, TOPIC }

    private final String name;
    private volatile Set<SeatId> seats;
    private final boolean seatsPresentOnOpen;
    private final List<Shown> shown = new CopyOnWriteArrayList<>();
    /** Which post (index in {@link #shown}) went out under which ref, for {@link #retract}. */
    private final Map<Long, List<Integer>> postsByRef = new ConcurrentHashMap<>();
    private volatile RoomListener listener;
    private volatile boolean closed;

    public MemoryRoom(String name, Collection<SeatId> seats) {
        this(name, seats, true);
    }

    public MemoryRoom(String name, Collection<SeatId> seats, boolean seatsPresentOnOpen) {
        this.name = name;
        this.seats = Set.copyOf(seats);
        this.seatsPresentOnOpen = seatsPresentOnOpen;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void open(RoomListener listener) {
        this.listener = listener;
        if (seatsPresentOnOpen) {
            seats.forEach(s -> listener.onSeatPresence(s, true));
        }
    }

    @Override
    public void post(SeatId seat, String text) {
        shown.add(new Shown(Kind.POST, seat, text));
    }

    /** Shows it as any room does, remembering which post a parcel was, for {@link #retract}. */
    @Override
    public synchronized CompletableFuture<Void> deliver(Parcel parcel) {
        if (parcel.kind() == Parcel.Kind.POST) {
            postsByRef.computeIfAbsent(parcel.key().seq(), r -> new CopyOnWriteArrayList<>()).add(shown.size());
        }
        return Room.super.deliver(parcel);
    }

    /** Records the seats that join and leave; joining ones are reported present, as a real room would. */
    @Override
    public synchronized void cast(Set<SeatId> cast) {
        Set<SeatId> before = seats;
        seats = Set.copyOf(cast);
        if (listener == null) {
            return;
        }
        before.stream().filter(s -> !cast.contains(s)).forEach(s -> shown.add(new Shown(Kind.PART, s, "")));
        for (SeatId s : new LinkedHashSet<>(cast)) {
            if (!before.contains(s)) {
                shown.add(new Shown(Kind.JOIN, s, ""));
                if (seatsPresentOnOpen) {
                    listener.onSeatPresence(s, true);
                }
            }
        }
    }

    /** Records the retraction with the texts it took back, then the notice, as a room without redaction would. */
    @Override
    public synchronized void retract(List<Long> refs, String notice) {
        List<String> taken = new ArrayList<>();
        refs.forEach(r -> postsByRef.getOrDefault(r, List.of()).forEach(i -> taken.add(shown.get(i).text())));
        shown.add(new Shown(Kind.RETRACT, null, String.join("\n", taken)));
        notice(notice);
    }

    @Override
    public void topic(String text) {
        shown.add(new Shown(Kind.TOPIC, null, text));
    }

    /** The seats now in the room's cast. */
    public Set<SeatId> seats() {
        return seats;
    }

    @Override
    public void notice(String text) {
        shown.add(new Shown(Kind.NOTICE, null, text));
    }

    @Override
    public void relay(String sender, String text) {
        shown.add(new Shown(Kind.RELAY, null, "<" + sender + "> " + text));
    }

    @Override
    public void typing(SeatId seat, boolean typing) {
        shown.add(new Shown(typing ? Kind.TYPING_ON : Kind.TYPING_OFF, seat, ""));
    }

    @Override
    public void close() {
        closed = true;
    }

    public boolean closed() {
        return closed;
    }

    /** A human says {@code text} in this room. */
    public void say(String sender, String text, boolean operator) {
        listener.onHuman(Inbound.say(sender, text, operator));
    }

    public void presence(SeatId seat, boolean present) {
        listener.onSeatPresence(seat, present);
    }

    public List<Shown> shown() {
        return List.copyOf(shown);
    }

    private volatile String status = "";

    /** Sets what {@link #status()} says, as a room that knows something operators must hear would. */
    public void status(String text) {
        status = text;
    }

    @Override
    public String status() {
        return status;
    }

    public List<String> posts() {
        return texts(Kind.POST);
    }

    public List<String> notices() {
        return texts(Kind.NOTICE);
    }

    public List<String> texts(Kind kind) {
        List<String> out = new ArrayList<>();
        shown.stream().filter(s -> s.kind() == kind).forEach(s -> out.add(s.text()));
        return out;
    }
}

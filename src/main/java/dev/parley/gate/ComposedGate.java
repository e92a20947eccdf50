package dev.parley.gate;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The checks in order, cheapest first: the screens in memory, then the moderation service only for a message
 * they all let through (a message the lists already withhold costs no round trip).
 */
public final class ComposedGate implements Gate {
    private final List<Screen> screens;
    private final Optional<Gate> service;

    public ComposedGate(List<Screen> screens, Optional<Gate> service) {
        this.screens = List.copyOf(screens);
        this.service = service;
    }

    /** The in-memory checks only: for paragraphs shown while streaming and for humans' messages. */
    public Verdict screen(Candidate candidate) {
        for (Screen s : screens) {
            Verdict v = s.judge(candidate);
            if (!v.passes()) {
                return v;
            }
        }
        return Verdict.PASS;
    }

    @Override
    public CompletableFuture<Verdict> check(Candidate candidate) {
        Verdict local = screen(candidate);
        if (!local.passes() || service.isEmpty()) {
            return CompletableFuture.completedFuture(local);
        }
        return service.get().check(candidate);
    }

    @Override
    public boolean remote() {
        return service.isPresent();
    }
}

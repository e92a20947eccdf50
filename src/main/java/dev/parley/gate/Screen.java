package dev.parley.gate;

import java.util.concurrent.CompletableFuture;

/** A check made in memory, at once: the lists, the limits. */
@FunctionalInterface
public interface Screen extends Gate {
    Verdict judge(Candidate candidate);

    @Override
    default CompletableFuture<Verdict> check(Candidate candidate) {
        return CompletableFuture.completedFuture(judge(candidate));
    }
}

package dev.parley.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A Control that writes down each call as one string and answers with it, so tests can see exactly what ran. */
final class RecordingControl implements Control {
    final List<String> calls = new ArrayList<>();

    private String record(String call) {
        calls.add(call);
        return "ok " + call;
    }

    @Override
    public String status() {
        return record("status");
    }

    @Override
    public String pause(String by) {
        return record("pause by=" + by);
    }

    @Override
    public String resume(String by) {
        return record("resume by=" + by);
    }

    @Override
    public String stop(String by, Optional<String> reason) {
        return record("stop by=" + by + " reason=" + reason.orElse("<none>"));
    }

    @Override
    public String start(String by, Optional<String> openingLine) {
        return record("start by=" + by + " opening=" + openingLine.orElse("<none>"));
    }

    @Override
    public String next(String by, String seat) {
        return record("next by=" + by + " seat=" + seat);
    }

    @Override
    public String mute(String by, String seat) {
        return record("mute by=" + by + " seat=" + seat);
    }

    @Override
    public String unmute(String by, String seat) {
        return record("unmute by=" + by + " seat=" + seat);
    }

    @Override
    public String pace(String by, Duration min, Duration max) {
        return record("pace by=" + by + " min=" + min.toMillis() + "ms max=" + max.toMillis() + "ms");
    }

    @Override
    public String turns(String by, int turns) {
        return record("turns by=" + by + " n=" + turns);
    }

    @Override
    public String filter(String by, Optional<Boolean> on) {
        return record("filter by=" + by + " on=" + on.map(String::valueOf).orElse("-"));
    }

    @Override
    public String transcript(String by) {
        return record("transcript by=" + by);
    }

    @Override
    public List<String> seatNames() {
        return List.of("Ada", "Basil");
    }

    @Override
    public String cast(String by, List<String> seats, boolean random) {
        return record("cast by=" + by + " seats=" + seats + " random=" + random);
    }

    @Override
    public String invite(String by, String seat) {
        return record("invite by=" + by + " seat=" + seat);
    }

    @Override
    public String dismiss(String by, String seat) {
        return record("dismiss by=" + by + " seat=" + seat);
    }

    @Override
    public String retry(String by, Optional<String> seat) {
        return record("retry by=" + by + " seat=" + seat.orElse("<none>"));
    }

    @Override
    public String retract(String by, int count) {
        return record("retract by=" + by + " count=" + count);
    }

    @Override
    public String note(String by, String seat, String text) {
        return record("note by=" + by + " seat=" + seat + " text=" + text);
    }

    @Override
    public String model(String by, String seat, String modelId) {
        return record("model by=" + by + " seat=" + seat + " model=" + modelId);
    }

    @Override
    public String system(String by, String seat, String prompt) {
        return record("system by=" + by + " seat=" + seat + " prompt=" + prompt);
    }

    @Override
    public String topic(String by, String text) {
        return record("topic by=" + by + " text=" + text);
    }

    @Override
    public String reload(String by, boolean checkOnly) {
        return record("reload by=" + by + " check=" + checkOnly);
    }
}

package dev.parley.gate;

import dev.parley.config.ModerationConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The gate of one episode, with what {@code !filter} shows and switches: on or off, how many messages it checked
 * and withheld, and each seat's strikes towards a mute. Its state is touched on the conversation's loop only;
 * the moderation service's answer is counted when the engine acts on it ({@link #counted}).
 */
public final class Filter {
    private static OkHttpClient sharedHttp;

    private final ModerationConfig config;
    private final ComposedGate gate;
    private final WordListGate lists;
    private boolean on;
    private int checked;
    private int withheld;
    private int held;
    private int unchecked;
    private boolean outage;
    private final Map<String, Integer> strikes = new HashMap<>();

    public Filter(ModerationConfig config, ComposedGate gate, WordListGate lists) {
        this.config = config;
        this.gate = gate;
        this.lists = lists;
        this.on = config.enabled();
    }

    /** The gate a conversation's config describes; the moderation service shares one HTTP client per process. */
    public static Filter of(ModerationConfig config) {
        TextFolding folding = new TextFolding(config.leetspeak());
        WordListGate lists = new WordListGate(config.lists().stream().flatMap(l -> l.rules().stream()).toList(),
                folding);
        List<Screen> screens = new ArrayList<>();
        screens.add(new LimitsGate(config.limits()));
        screens.add(lists);
        Optional<Gate> service = config.api().map(api -> new ModerationApiGate(api, http()));
        return new Filter(config, new ComposedGate(screens, service), lists);
    }

    /**
     * Every conversation's gate calls the same moderation host: OkHttp's default of 5 calls per host would queue
     * the sixth conversation's check behind the others and eat its timeout.
     */
    private static synchronized OkHttpClient http() {
        if (sharedHttp == null) {
            Dispatcher dispatcher = new Dispatcher();
            dispatcher.setMaxRequests(256);
            dispatcher.setMaxRequestsPerHost(128);
            sharedHttp = new OkHttpClient.Builder().dispatcher(dispatcher).build();
        }
        return sharedHttp;
    }

    public ModerationConfig config() {
        return config;
    }

    public boolean isOn() {
        return on;
    }

    public void turn(boolean onNow) {
        this.on = onNow;
    }

    /** Whether verdicts may take a round trip: then replies are checked whole, not paragraph by paragraph. */
    public boolean remote() {
        return on && gate.remote();
    }

    /** The full check (lists, limits, service); passes at once when the filter is off. */
    public CompletableFuture<Verdict> check(Candidate candidate) {
        return on ? gate.check(candidate) : CompletableFuture.completedFuture(Verdict.PASS);
    }

    /** The in-memory checks, at once: for a paragraph about to be shown while its reply streams. */
    public Verdict screen(Candidate candidate) {
        return on ? gate.screen(candidate) : Verdict.PASS;
    }

    /** Why a human's message is kept from the models: it matches the lists, and the config says so. */
    public Optional<Verdict> keptFromModels(Candidate candidate) {
        if (!on || config.humans() != ModerationConfig.Humans.KEEP_FROM_MODELS) {
            return Optional.empty();
        }
        Verdict v = lists.judge(candidate);
        return v.passes() ? Optional.empty() : Optional.of(v);
    }

    /**
     * Counts a verdict the engine acts on; true when it is the first {@code UNCHECKED} of an outage, the one the
     * operators are told about (the next ones would only repeat it).
     */
    public boolean counted(Verdict v) {
        checked++;
        switch (v.kind()) {
            case HIT -> withheld++;
            case HELD -> held++;
            case UNCHECKED -> {
                unchecked++;
                boolean first = !outage;
                outage = true;
                return first;
            }
            default -> { }
        }
        outage = false;
        return false;
    }

    /** One more withheld message of {@code seat}; true when that mutes it. */
    public boolean strike(String seat) {
        int n = strikes.merge(seat, 1, Integer::sum);
        return config.muteAfter() > 0 && n >= config.muteAfter();
    }

    /** The seat starts afresh ({@code !unmute}). */
    public void forgive(String seat) {
        strikes.remove(seat);
    }

    /** The seat's strikes as the journal had them before a restart. */
    public void restore(String seat, int count) {
        strikes.put(seat, count);
    }

    public int strikes(String seat) {
        return strikes.getOrDefault(seat, 0);
    }

    /** One line for {@code !filter}. */
    public String describe() {
        String service = config.api().map(a -> ", moderation service " + (outage ? "down" : "on") + " ("
                + a.whenDown().name().toLowerCase().replace('_', '-') + " when down)").orElse("");
        return "Filter " + (on ? "on" : "off") + ": " + lists.size() + " list rules" + service + "; " + checked
                + " checked, " + withheld + " withheld" + (held > 0 ? ", " + held + " held (service down)" : "")
                + (unchecked > 0 ? ", " + unchecked + " let through unchecked" : "")
                + (strikes.isEmpty() ? "" : "; strikes: " + strikes);
    }
}

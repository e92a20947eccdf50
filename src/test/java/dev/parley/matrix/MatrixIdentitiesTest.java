package dev.parley.matrix;

import static dev.parley.matrix.ScriptedHomeserver.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.config.MatrixIdentity;
import dev.parley.config.MatrixServerConfig;
import dev.parley.config.Secret;
import dev.parley.core.SeatId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logins, ghosts and whoami checks against a scripted homeserver in virtual time. */
class MatrixIdentitiesTest {
    private static final SeatId KIMI = SeatId.of("kimi");
    private static final SeatId BASIL = SeatId.of("basil");

    private final ScriptedHomeserver hs = new ScriptedHomeserver();
    private final Recorder rec = new Recorder();
    private final OkHttpClient http = MatrixClient.defaultHttp();

    @TempDir
    Path dir;

    MatrixIdentitiesTest() throws Exception {
        hs.on("GET", "/account/whoami", c -> json(200, "{\"user_id\":\"" + c.user() + "\"}"));
    }

    @AfterEach
    void stop() {
        hs.close();
    }

    private MatrixIdentities identities(MatrixServerConfig cfg, MatrixSeat... seats) {
        Map<SeatId, MatrixSeat> bySeat = new LinkedHashMap<>();
        for (MatrixSeat s : seats) {
            bySeat.put(s.id(), s);
        }
        RoomContext ctx = hs.context(cfg, bySeat.keySet());
        ctx.listener = rec;
        return new MatrixIdentities(ctx, "#r:hs", http, bySeat);
    }

    private static MatrixSeat seat(SeatId id, String user, String token) {
        return new MatrixSeat(id, id.value(), new MatrixIdentity(user,
                Optional.ofNullable(token).map(t -> new Secret(t, "test")), Optional.empty()));
    }

    @Test
    void aPasswordLoginIsRetriedAndLogsInAsTheSameDeviceEveryTime() throws Exception {
        AtomicInteger logins = new AtomicInteger();
        hs.on("POST", "/login", c -> logins.incrementAndGet() == 1 ? json(502, "{}")
                : json(200, "{\"access_token\":\"fresh\"}"));
        MatrixServerConfig cfg = new MatrixServerConfig("hs", hs.url(), "@bot:hs", Optional.empty(), List.of(),
                MatrixServerConfig.Mode.ACCOUNTS, Optional.of(new Secret("pw", "test")), OptionalInt.empty(),
                Optional.empty());
        MatrixIdentities ids = identities(cfg);
        Instant t0 = hs.scheduler.now();
        MatrixClient control = hs.drive(ids.control()).get();
        assertThat(Duration.between(t0, hs.scheduler.now())).isEqualTo(ScriptedHomeserver.BACKOFF.initial());

        assertThat(hs.drive(ids.identifyControl(control)).get()).isEqualTo("@fresh:hs");
        assertThat(ids.controlUserId()).isEqualTo("@fresh:hs");
        assertThat(ids.isOwn("@fresh:hs")).isTrue();
        assertThat(ids.isOwn("@bot:hs")).as("as configured").isTrue();
        assertThat(hs.calls("POST", "/login")).hasSize(2).allSatisfy(c -> {
            assertThat(c.body().path("device_id").asText()).isEqualTo(MatrixIds.deviceId("@bot:hs", "#r:hs"));
            assertThat(c.body().path("identifier").path("user").asText()).isEqualTo("@bot:hs");
            assertThat(c.body().path("password").asText()).isEqualTo("pw");
        });
    }

    @Test
    void aSeatWhoseTokenIsSomebodyElsesIsReportedAndPostsCountAsTheActualUsers() throws Exception {
        MatrixSeat kimi = seat(KIMI, "@kimi:hs", "somebody");
        MatrixSeat basil = seat(BASIL, "@basil:hs", "basil");
        MatrixIdentities ids = identities(hs.accounts(), kimi, basil);
        MatrixClient control = hs.client("bot");
        hs.drive(ids.seat(kimi, control)).get();
        hs.drive(ids.seat(basil, control)).get();

        assertThat(ids.userOf(kimi)).isEqualTo("@somebody:hs");
        assertThat(ids.isOwn("@somebody:hs")).isTrue();
        assertThat(ids.isOwn("@kimi:hs")).as("a human could be @kimi:hs").isFalse();
        assertThat(ids.isOwn("@basil:hs")).isTrue();
        assertThat(rec.problems).singleElement().asString()
                .contains("seat kimi is configured as @kimi:hs but its token belongs to @somebody:hs");
    }

    @Test
    void aSeatWithoutTokenOrPasswordIsRefusedNamingTheSettings() {
        MatrixIdentities ids = identities(hs.accounts(), seat(KIMI, "@kimi:hs", null));
        var f = hs.drive(ids.seat(seat(KIMI, "@kimi:hs", null), hs.client("bot")));
        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("@kimi:hs has no access token or password")
                .hasMessageContaining("access-token-env or password-env of seat kimi");
        assertThat(hs.calls()).isEmpty();
    }

    @Test
    void inAppserviceModeGhostsAreRegisteredAndMasqueradedAndTheWholeNamespaceIsOurs() throws Exception {
        hs.on("POST", "/register", c -> c.body().path("username").asText().equals("parley_basil")
                ? json(400, "{\"errcode\":\"M_USER_IN_USE\"}") : json(200, "{}"));
        MatrixServerConfig cfg = new MatrixServerConfig("hs", hs.url(), "@parley:hs", Optional.empty(), List.of(),
                MatrixServerConfig.Mode.APPSERVICE, Optional.empty(), OptionalInt.empty(),
                Optional.of(new MatrixServerConfig.Appservice(dir.resolve("reg.yaml"), "parley", Optional.empty())));
        MatrixRegistration.write(cfg, false);
        String asToken = MatrixRegistration.read(dir.resolve("reg.yaml")).asToken();
        MatrixSeat kimi = seat(KIMI, "@parley_kimi:hs", null);
        MatrixSeat basil = seat(BASIL, "@parley_basil:hs", null);
        MatrixSeat stray = seat(SeatId.of("stray"), "@stray:hs", null);
        MatrixIdentities ids = identities(cfg, kimi, basil, stray);

        MatrixClient control = hs.drive(ids.control()).get();
        assertThat(hs.drive(ids.identifyControl(control)).get()).isEqualTo("@" + asToken + ":hs");
        hs.drive(ids.seat(kimi, control)).get();
        hs.drive(ids.seat(basil, control)).get();
        var refused = hs.drive(ids.seat(stray, control));
        assertThatThrownBy(refused::get).hasMessageContaining("outside the appservice user namespace");

        assertThat(hs.calls("POST", "/register")).extracting(c -> c.body().path("username").asText())
                .containsExactly("parley_kimi", "parley_basil");
        assertThat(hs.calls("POST", "/register")).allSatisfy(c -> {
            assertThat(c.body().path("type").asText()).isEqualTo("m.login.application_service");
            assertThat(c.query("user_id")).isNull();
        });
        assertThat(hs.calls("GET", "/account/whoami")).extracting(c -> c.query("user_id"))
                .containsExactly(null, "@parley_kimi:hs", "@parley_basil:hs");
        assertThat(ids.isOwn("@parley_someone_else:hs")).isTrue();
        assertThat(ids.isOwn("@human:hs")).isFalse();
        assertThat(rec.problems).isEmpty();
        ids.closeAll();
        assertThat(control.isClosed()).isTrue();
    }

    @Test
    void aControlTokenOfAnotherUserCountsAsOursToo() throws Exception {
        MatrixServerConfig cfg = new MatrixServerConfig("hs", hs.url(), "@bot:hs",
                Optional.of(new Secret("other", "test")), List.of());
        MatrixIdentities ids = identities(cfg);
        assertThat(hs.drive(ids.identifyControl(hs.drive(ids.control()).get())).get()).isEqualTo("@other:hs");
        assertThat(ids.ownUsers()).containsExactlyInAnyOrder("@bot:hs", "@other:hs");
        assertThat(Set.copyOf(hs.paths())).containsExactly("GET /account/whoami");
    }
}

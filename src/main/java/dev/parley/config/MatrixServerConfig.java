package dev.parley.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Matrix homeserver: its client-server URL, how seats get their identities ({@link Mode}), the control
 * identity, and who may run commands (user ids, or optionally anyone at or above a room power level).
 */
public record MatrixServerConfig(
        String name,
        String homeserverUrl,
        String controlUser,
        Optional<Secret> controlToken,
        List<String> operators,
        Mode mode,
        Optional<Secret> controlPassword,
        OptionalInt operatorPowerLevel,
        Optional<Appservice> appservice) {

    /** accounts: every seat logs in with its own account; appservice: seats are ghosts of our application service. */
    public enum Mode { ACCOUNTS, APPSERVICE }

    /**
     * Application-service settings. {@code registrationFile} is written by {@code parley matrix-registration}
     * and read back for the tokens; {@code userNamespace} is the exclusive regex for the seats' ghosts
     * (empty: derived from the control user, {@code @<control>_.*:<server>}).
     */
    public record Appservice(Path registrationFile, String id, Optional<String> userNamespace) {
        public Appservice {
            userNamespace = userNamespace == null ? Optional.empty() : userNamespace;
        }
    }

    public MatrixServerConfig {
        operators = List.copyOf(operators);
        mode = mode == null ? Mode.ACCOUNTS : mode;
        controlToken = controlToken == null ? Optional.empty() : controlToken;
        controlPassword = controlPassword == null ? Optional.empty() : controlPassword;
        operatorPowerLevel = operatorPowerLevel == null ? OptionalInt.empty() : operatorPowerLevel;
        appservice = appservice == null ? Optional.empty() : appservice;
        if (mode == Mode.APPSERVICE && appservice.isEmpty()) {
            throw new IllegalArgumentException("matrix server " + name + ": mode appservice needs appservice settings");
        }
    }

    /** Accounts mode with no power-level operators: the shape of the original skeleton record. */
    public MatrixServerConfig(String name, String homeserverUrl, String controlUser, Optional<Secret> controlToken,
                              List<String> operators) {
        this(name, homeserverUrl, controlUser, controlToken, operators, Mode.ACCOUNTS, Optional.empty(),
                OptionalInt.empty(), Optional.empty());
    }
}

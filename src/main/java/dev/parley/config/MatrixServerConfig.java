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
        Optional<Appservice> appservice,
        Encryption encryption) {

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

    /** What parley does in an end-to-end encrypted room it cannot read (not behind an encrypting proxy). */
    public enum EncryptedRooms { RUN, REFUSE }

    /**
     * End-to-end encryption. {@code proxy}: the homeserver URL is an encrypting proxy such as pantalaimon, which
     * encrypts what parley sends and decrypts what it reads. {@code encryptedRooms}: what to do in an encrypted room
     * without one (run and say so, or refuse to start there).
     */
    public record Encryption(boolean proxy, EncryptedRooms encryptedRooms) {
        public static final Encryption DEFAULT = new Encryption(false, EncryptedRooms.RUN);

        public Encryption {
            encryptedRooms = encryptedRooms == null ? EncryptedRooms.RUN : encryptedRooms;
        }
    }

    public MatrixServerConfig {
        encryption = encryption == null ? Encryption.DEFAULT : encryption;
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

    /** No encrypting proxy, and encrypted rooms run (the default). */
    public MatrixServerConfig(String name, String homeserverUrl, String controlUser, Optional<Secret> controlToken,
                              List<String> operators, Mode mode, Optional<Secret> controlPassword,
                              OptionalInt operatorPowerLevel, Optional<Appservice> appservice) {
        this(name, homeserverUrl, controlUser, controlToken, operators, mode, controlPassword, operatorPowerLevel,
                appservice, Encryption.DEFAULT);
    }

    /** Accounts mode with no power-level operators: the shape of the original skeleton record. */
    public MatrixServerConfig(String name, String homeserverUrl, String controlUser, Optional<Secret> controlToken,
                              List<String> operators) {
        this(name, homeserverUrl, controlUser, controlToken, operators, Mode.ACCOUNTS, Optional.empty(),
                OptionalInt.empty(), Optional.empty());
    }
}

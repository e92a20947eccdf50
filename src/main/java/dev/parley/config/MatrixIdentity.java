package dev.parley.config;

import java.util.Optional;

/**
 * A seat's Matrix identity: its user id, and in accounts mode an access token or a password.
 * In appservice mode both are empty: the seat is a ghost of the application service.
 */
public record MatrixIdentity(String userId, Optional<Secret> accessToken, Optional<Secret> password) {
}

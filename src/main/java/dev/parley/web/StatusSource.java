package dev.parley.web;

import java.util.List;

/** Where the web reads the conversations' live state; implemented by whoever runs them. Must not block. */
public interface StatusSource {
    /** Every configured conversation (private ones included: the web leaves those out itself). */
    List<LiveStatus> conversations();

    /** Whether parley is ready to serve: every room joined. */
    boolean ready();

    /** No conversations, ready: for the static site and tests. */
    StatusSource NONE = new StatusSource() {
        @Override
        public List<LiveStatus> conversations() {
            return List.of();
        }

        @Override
        public boolean ready() {
            return true;
        }
    };
}

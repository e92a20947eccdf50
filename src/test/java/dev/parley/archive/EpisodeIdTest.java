package dev.parley.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An episode is named by its conversation and journal: the same pair is the same episode, a path never escapes. */
class EpisodeIdTest {
    @Test
    void theSamePairIsTheSameEpisodeHoweverItWasMade() {
        EpisodeId byName = new EpisodeId("talk", "talk-20261129-100000");
        EpisodeId byFile = EpisodeId.of(Path.of("/srv/transcripts/talk/talk-20261129-100000.jsonl"));
        assertThat(byFile).isEqualTo(byName).hasSameHashCodeAs(byName);
        assertThat(Set.of(byName)).contains(byFile);
        assertThat(byName).isNotEqualTo(new EpisodeId("talk", "talk-20261129-100001"))
                .isNotEqualTo(new EpisodeId("talk2", "talk-20261129-100000"));
        assertThat(byName.toString()).isEqualTo("talk/talk-20261129-100000");
    }

    @Test
    void aSegmentThatCouldLeaveTheFolderIsRefused() {
        assertThatThrownBy(() -> new EpisodeId("..", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EpisodeId("talk", "a/b")).isInstanceOf(IllegalArgumentException.class);
    }
}

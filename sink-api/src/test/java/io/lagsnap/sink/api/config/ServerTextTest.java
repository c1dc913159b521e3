package io.lagsnap.sink.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerTextTest {
    @Test
    void shortTextIsFlattenedOnly() {
        assertThat(ServerText.excerpt("bad\r\n  request\n")).isEqualTo("bad request");
    }

    /** A server echoing the request: the cut would have left half the token, which the scrubber cannot know. */
    @Test
    void theCutNeverSplitsAnEchoedToken() {
        String head = "x".repeat(170) + " Authorization: Bearer "; // 193 characters: the limit falls in the token
        String token = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu";
        String text = head + token + " rest";

        String cut = ServerText.excerpt(text);

        assertThat(cut).isEqualTo(head + "… (" + (text.length() - head.length()) + " more chars)");
        assertThat(cut).doesNotContain("eyJ");
    }

    @Test
    void aSingleWordLongerThanTheLimitIsLeftOutWhole() {
        String word = "a".repeat(250);
        assertThat(ServerText.excerpt(word)).isEqualTo("… (250 more chars)");
    }
}

package io.lagsnap.core.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkProvider;
import io.lagsnap.sink.api.config.SinkConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class SinkRegistryTest {
    @Test
    void twoProvidersOfOneTypeFailNamingBothClasses() {
        assertThatThrownBy(() -> SinkRegistry.of(List.of(new First(), new Second())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("two sink providers of type \"same\" on the class path: "
                        + First.class.getName() + " and " + Second.class.getName());
    }

    @Test
    void theClassPathHasOneProviderPerType() {
        assertThat(SinkRegistry.load().types()).contains("file", "stdout");
    }

    private static class First implements SinkProvider {
        @Override
        public String type() {
            return "same";
        }

        @Override
        public Sink create(SinkConfig config, SinkContext context) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class Second extends First {
    }
}

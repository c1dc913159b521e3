package io.lagsnap.lambda;

import io.lagsnap.testkit.AdapterFixture;

/**
 * The known workload and config every Lambda test runs against: topic l-orders, group l-app committed at
 * 4 and 7 (lag 6 and 3).
 */
final class Fixtures {
    static final AdapterFixture LAMBDA = new AdapterFixture("l", 4, 7);

    private Fixtures() {
    }
}

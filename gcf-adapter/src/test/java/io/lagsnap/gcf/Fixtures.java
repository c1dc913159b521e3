package io.lagsnap.gcf;

import io.lagsnap.testkit.AdapterFixture;

/**
 * The known workload and config the function tests run against: topic g-orders, group g-app committed at
 * 2 and 9 (lag 8 and 1).
 */
final class Fixtures {
    static final AdapterFixture GCF = new AdapterFixture("g", 2, 9);

    private Fixtures() {
    }
}

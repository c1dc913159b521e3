package io.lagsnap.sink.otlp;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;

/**
 * One metric family as an OTLP double gauge, through the SDK's public {@link MetricData} interface (the SDK's own
 * immutable implementation lives in an internal package). The components are named after the interface's getters.
 */
record GaugeMetric(
        Resource getResource,
        InstrumentationScopeInfo getInstrumentationScopeInfo,
        String getName,
        String getDescription,
        String getUnit,
        GaugeData<DoublePointData> getData) implements MetricData {

    @Override
    public MetricDataType getType() {
        return MetricDataType.DOUBLE_GAUGE;
    }
}

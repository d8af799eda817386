package io.chatops.protocol;

/**
 * One temperature sensor, in degrees Celsius, with the marks the hardware gives for it (null
 * where it gives none). {@code sensor} names the chip and the sensor ({@code coretemp Package id 0},
 * {@code acpitz}).
 */
public record Temperature(
        String sensor,
        double celsius,
        Double highCelsius,
        Double criticalCelsius) {

    public Temperature {
        Require.text("sensor", sensor);
        Require.celsius("celsius", celsius);
        if (highCelsius != null) {
            Require.celsius("high_celsius", highCelsius);
        }
        if (criticalCelsius != null) {
            Require.celsius("critical_celsius", criticalCelsius);
        }
    }
}

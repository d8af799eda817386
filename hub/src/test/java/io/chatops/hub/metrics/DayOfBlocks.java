package io.chatops.hub.metrics;

import java.util.List;

/** The bytes one server-day takes in each tier's blocks, as the hub writes them when its hours close. */
public record DayOfBlocks(long raw, long minuteSeries, long hourSeries) {

    /** {@code day}: the server's samples of one UTC day, by time, 720 an hour. */
    public static DayOfBlocks of(List<Sample> day) {
        long raw = 0;
        long minutes = 0;
        SeriesRollup hours = new SeriesRollup();
        for (int hour = 0; hour < 24; hour++) {
            List<Sample> samples = day.subList(hour * 720, (hour + 1) * 720);
            raw += BlockCodec.encode(samples).length;
            minutes += SeriesCodec.encode(SeriesRollup.of(samples, SeriesTiers.MINUTE)).length;
            hours.putAll(SeriesRollup.of(samples, SeriesTiers.HOUR));
        }
        return new DayOfBlocks(raw, minutes, SeriesCodec.encode(hours).length);
    }
}

package dev.mailpulse.ml;

import java.util.Iterator;
import java.util.function.Function;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A result too large to collect, brought to the driver a partition at a time and written as it comes. */
final class LocalRows {

    private LocalRows() {
    }

    /** The dataset's rows, each made into a {@code T} as it is read. */
    static <T> Iterator<T> of(Dataset<Row> rows, Function<Row, T> each) {
        Iterator<Row> local = rows.toLocalIterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return local.hasNext();
            }

            @Override
            public T next() {
                return each.apply(local.next());
            }
        };
    }
}

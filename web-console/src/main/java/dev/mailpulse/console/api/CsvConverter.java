package dev.mailpulse.console.api;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every {@link Tabular} answer as CSV ({@code Accept: text/csv}): a header of the items' fields, then a row per item,
 * written as it goes (RFC 4180); its freshness in the {@code MailPulse-Freshness} header. Names and values are the JSON's (the API's mapper writes each item),
 * so the two never disagree. A text cell that a spreadsheet would take for a formula ({@code = + - @}, a tab or a
 * carriage return first) is prefixed with {@code '}.
 */
public final class CsvConverter extends AbstractHttpMessageConverter<Object> {

    public static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final JsonMapper json;

    public CsvConverter(JsonMapper json) {
        super(TEXT_CSV);
        this.json = json;
    }

    @Override
    protected boolean supports(Class<?> type) {
        return Tabular.class.isAssignableFrom(type);
    }

    @Override
    protected boolean canRead(MediaType mediaType) {
        return false;
    }

    @Override
    protected Object readInternal(Class<?> type, HttpInputMessage input) {
        throw new HttpMessageNotReadableException("the API does not take CSV", input);
    }

    @Override
    protected void writeInternal(Object body, HttpOutputMessage output) throws IOException {
        Tabular table = (Tabular) body;
        Freshness freshness = table.freshness();
        output.getHeaders().set("MailPulse-Freshness", "read_model_as_of=" + freshness.readModelAsOf() + "; read_model_lag_ms="
                + freshness.readModelLagMs() + "; live_cache_as_of=" + freshness.liveCacheAsOf() + "; live_cache_lag_ms=" + freshness.liveCacheLagMs());
        List<? extends Record> items = table.items();
        Writer out = new OutputStreamWriter(output.getBody(), StandardCharsets.UTF_8);
        boolean header = true;
        for (Record item : items) {
            JsonNode row = json.valueToTree(item);
            if (header) {
                out.write(String.join(",", row.propertyNames()) + "\r\n");
                header = false;
            }
            StringBuilder line = new StringBuilder();
            for (JsonNode value : row.values()) {
                line.append(line.isEmpty() ? "" : ",").append(cell(value));
            }
            out.write(line.append("\r\n").toString());
        }
        out.flush();
    }

    static String cell(JsonNode value) {
        if (value.isNull() || value.isMissingNode()) {
            return "";
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.asString();
        }
        String text = value.isString() ? value.asString() : value.toString();
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")
                ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}

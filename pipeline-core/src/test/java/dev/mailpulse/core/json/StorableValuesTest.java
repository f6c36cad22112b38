package dev.mailpulse.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

class StorableValuesTest {

    @Test
    void namesTheFirstValueNoStoreCanKeep() {
        assertThat(StorableValues.check(read("{\"a\":[1,\"x\\u0000\"]}"))).get().extracting(StorableValues.Problem::field).isEqualTo("/a/1");
        assertThat(StorableValues.check(read("{\"a/b~\":\"\\udc00\"}"))).get().extracting(StorableValues.Problem::field).isEqualTo("/a~1b~0");
        assertThat(StorableValues.check(read("{\"n\":1e200000}"))).isPresent();
        assertThat(StorableValues.check(read("{\"n\":1e-20000}"))).isPresent();
        assertThat(StorableValues.check(read("{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}"))).isPresent();
        assertThat(StorableValues.check(read("{\"ok\":\"\\ud83d\\ude00 \\uFFFE \\u202E\",\"n\":1e999,\"i\":123456789012345678901234567890}"))).isEmpty();
    }

    @Test
    void aStorableCopyReplacesWhatCannotBeKeptAndTheExactTextKeepsIt() {
        JsonNode hostile = read("{\"k\\u0000\":\"a\\ud800b\",\"n\":1e200000,\"ok\":\"\\ud83d\\ude00\"}");
        JsonNode storable = StorableValues.storable(hostile);
        assertThat(StorableValues.check(storable)).isEmpty();
        assertThat(storable.get("k\uFFFD").asString()).isEqualTo("a\uFFFDb");
        assertThat(storable.get("n").asString()).isEqualTo("1E+200000");
        assertThat(storable.get("ok").asString()).isEqualTo("\ud83d\ude00");
        assertThat(WireJson.MAPPER.readTree(WireJson.asciiText(hostile))).isEqualTo(hostile);
        assertThat(WireJson.asciiText(hostile)).isASCII();
    }

    private static JsonNode read(String json) {
        return WireJson.MAPPER.readTree(json);
    }
}

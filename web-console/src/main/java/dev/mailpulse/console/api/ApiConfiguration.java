package dev.mailpulse.console.api;

import java.util.List;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.filter.ShallowEtagHeaderFilter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import tools.jackson.databind.json.JsonMapper;

/**
 * The API's CSV beside its JSON, chosen by {@code Accept}; and ETags on its reads, so that a client polling an
 * unchanged series gets a 304 without its body.
 */
@Configuration(proxyBeanMethods = false)
class ApiConfiguration implements WebMvcConfigurer {

    private final JsonMapper json;

    ApiConfiguration(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        converters.add(new CsvConverter(json));
    }

    /** Not on the live stream: a WebSocket's handshake has no body to tag. */
    @Bean
    FilterRegistrationBean<ShallowEtagHeaderFilter> apiEtags() {
        FilterRegistrationBean<ShallowEtagHeaderFilter> etags = new FilterRegistrationBean<>(new ShallowEtagHeaderFilter());
        etags.addUrlPatterns("/api/v1/campaigns", "/api/v1/campaigns/*", "/api/v1/timeseries", "/api/v1/summary", "/api/v1/breakdown/*",
                "/api/v1/deliverability", "/api/v1/events", "/api/v1/live", "/api/v1/daily");
        return etags;
    }
}

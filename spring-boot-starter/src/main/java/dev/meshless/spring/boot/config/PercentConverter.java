package dev.meshless.spring.boot.config;

import org.springframework.core.convert.converter.Converter;

/** Binds {@code 50%} and {@code 50} to {@link Percent}; registered for configuration properties. */
public final class PercentConverter implements Converter<String, Percent> {

    @Override
    public Percent convert(String source) {
        return Percent.parse(source);
    }
}

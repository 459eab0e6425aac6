package dev.ranklab.web;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.function.Function;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * A JSON value must have the type its field declares: Jackson would otherwise store {@code {"name": false}} as the
 * name "false", read {@code "3"} as 3, cut 2.7 to 2 and take 0 for the first constant of an enum, and it would read
 * the first value of {@code {"a":1}{"a":2}} and the last of a key given twice. A client that sends the wrong type
 * gets a 400 naming the field instead of a value it did not mean.
 */
@Singleton
public class StrictJsonScalars implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        // One value per body and one value per key: {"a":1} xyz or a name given twice is refused, not half read.
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // JSON Schema, and so the API document, counts 2.0 as an integer: it is read as 2, while 2.7 stays refused.
        SimpleModule whole = new SimpleModule("whole-numbers");
        whole.addDeserializer(Integer.class, new WholeNumber<>(Integer.class, BigDecimal::intValueExact));
        whole.addDeserializer(Long.class, new WholeNumber<>(Long.class, BigDecimal::longValueExact));
        mapper.registerModule(whole);
    }

    /** A boxed whole number from an integer or an integral float token; a fraction or an overflow is refused. */
    private static final class WholeNumber<T> extends StdScalarDeserializer<T> {

        private final transient Function<BigDecimal, T> exact;

        WholeNumber(Class<T> type, Function<BigDecimal, T> exact) {
            super(type);
            this.exact = exact;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonToken token = parser.currentToken();
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                return (T) context.handleUnexpectedToken(handledType(), parser);
            }
            BigDecimal value = parser.getDecimalValue().stripTrailingZeros();
            try {
                return exact.apply(value);
            } catch (ArithmeticException e) {
                // The error page tells the two apart: "out of range" is what the caller can act on.
                return (T) context.handleWeirdNumberValue(handledType(), parser.getNumberValue(),
                        value.scale() <= 0 ? "out of range" : "not a whole number");
            }
        }
    }
}

package dev.ranklab.items;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One model output to be ranked; {@code id} is stable ("r1" … "rK" in import order). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemResponse(String id, String text, String model) {
}

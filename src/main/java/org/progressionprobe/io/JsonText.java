package org.progressionprobe.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * The project's JSON conventions on top of gson: reports are indented with two spaces, and a
 * number that is not finite is written as {@code null} (JSON has no NaN).
 */
public final class JsonText {

	private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

	private JsonText() {}

	/** A finite number, or JSON null. */
	public static JsonElement number(final double v) {
		return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
	}

	/** An element as indented text with a final newline. */
	public static String write(final JsonElement e) {
		return PRETTY.toJson(e) + "\n";
	}

	/** The top-level object of a JSON text; {@code source} names it in the error. */
	public static JsonObject readObject(final String json, final String source) {
		try {
			final JsonElement e = JsonParser.parseString(json);
			if (!e.isJsonObject())
				throw new IllegalArgumentException(source + " is not a JSON object");
			return e.getAsJsonObject();
		} catch (final JsonParseException e) {
			throw new IllegalArgumentException(source + " is not valid JSON: " + e.getMessage(), e);
		}
	}
}

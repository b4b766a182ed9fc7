package org.progressionprobe.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.progressionprobe.command.ParameterError;
import org.scijava.plugin.Parameter;

/** The align commands' text turns into the settings of their context; their defaults and dialog limits are the settings'. */
class CommandSettingsTest {

	@Test
	void theSameTextGivesTheSameSettingsAsBefore() {
		final RegistrationSettings before = RegistrationSettings.fromMap(Map.of("transform_type", "rigid", "metric", "mi", "init", "moments", "levels",
				"3", "iterations", "150", "samples", "20000", "seed", "7"));
		for (final RegistrationSettings base : new RegistrationSettings[] { RegistrationSettings.defaults(), RegistrationSettings.atlasDefaults() })
			assertEquals(before, CommandSettings.registration(base, "rigid", "mi", "moments", 3, 150, 20000, 7));
	}

	@Test
	void aBlankChoiceTakesItsContextsDefaultMetricNccForAPairMiForAnAtlas() {
		assertEquals(RegistrationSettings.Metric.NCC, CommandSettings.registration(RegistrationSettings.defaults(), "", " ", null, 4, 200, 60000, 1).metric());
		final RegistrationSettings atlas = CommandSettings.registration(RegistrationSettings.atlasDefaults(), "", "", "", 4, 200, 60000, 1);
		assertEquals(RegistrationSettings.Metric.MI, atlas.metric());
		assertEquals(RegistrationSettings.atlasDefaults(), atlas);
		assertEquals(RegistrationSettings.atlasDefaults(), PairPreparation.Settings.of(PairPreparation.Alignment.ATLAS).atlasRegistration());
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> CommandSettings.registration(RegistrationSettings.defaults(), "affine", "ncc", "com", 9, 200, 60000, 1)).getMessage().contains("levels must be 1..8"));
	}

	@Test
	void theCommandsDefaultsAndDialogLimitsAreTheSettings() throws Exception {
		assertEquals(RegistrationSettings.defaults(), commandDefaults(new AlignPairCommand(), RegistrationSettings.defaults()));
		assertEquals(RegistrationSettings.atlasDefaults(), commandDefaults(new AlignToAtlasCommand(), RegistrationSettings.defaults()));
		assertEquals("linear", value(new ApplyTransformCommand(), "interpolation"));
		for (final Class<?> c : new Class<?>[] { AlignPairCommand.class, AlignToAtlasCommand.class }) {
			final Parameter levels = c.getDeclaredField("levels").getAnnotation(Parameter.class);
			assertEquals(RegistrationSettings.MIN_LEVELS + ".." + RegistrationSettings.MAX_LEVELS, levels.min() + ".." + levels.max(), c.getName());
			assertEquals(Integer.toString(RegistrationSettings.MIN_ITERATIONS), c.getDeclaredField("iterations").getAnnotation(Parameter.class).min());
			assertEquals(Integer.toString(RegistrationSettings.MIN_SAMPLES), c.getDeclaredField("samples").getAnnotation(Parameter.class).min());
			assertEquals("linear", value(c.getDeclaredConstructor().newInstance(), "interpolation"));
		}
	}

	@Test
	void aPointIsThreeNumbersOfAListParameter() {
		assertEquals(3, CommandSettings.point("1;2, -3.5", "box_min_mm").length);
		assertEquals(null, CommandSettings.point(" ", "box_min_mm"));
		assertTrue(assertThrows(ParameterError.class, () -> CommandSettings.point("1 2 3", "box_min_mm")).getMessage().startsWith("box_min_mm: "));
	}

	/** The settings a command's own field values give, read over {@code base}: the command restates nothing of its context. */
	private static RegistrationSettings commandDefaults(final Object command, final RegistrationSettings base) throws Exception {
		return CommandSettings.registration(base, (String) value(command, "transform_type"), (String) value(command, "metric"),
				(String) value(command, "init"), (int) value(command, "levels"), (int) value(command, "iterations"), (int) value(command, "samples"),
				(long) value(command, "seed"));
	}

	private static Object value(final Object command, final String name) throws Exception {
		final Field f = command.getClass().getDeclaredField(name);
		f.setAccessible(true);
		return f.get(command);
	}
}

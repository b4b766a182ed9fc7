package org.progressionprobe.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;

/**
 * The suite's packages form layers, bottom-up along the data flow, and a class may depend only on
 * its own layer and the layers below it; no two top-level packages depend on each other, directly
 * or in a ring, and no two packages at any depth either (so a sub-package such as io.dicom lies
 * below its parent or above it, not both); every class lies in a layer, so a new package has to be placed here. No exception is
 * listed. Test classes are not checked. (Compile-time constants are inlined by javac and leave no
 * trace in the class files these rules read.)
 */
class LayersTest {

	private static final String ROOT = "org.progressionprobe";

	/**
	 * Bottom-up. command: the commands' shared parameter and progress helpers; stats: statistics;
	 * volume: voxels and world geometry; io: files; table: cohorts and feature tables; sim: the
	 * simulated cohort and phantom atlas; align; features (change and model); builtin: training the
	 * built-in networks; probe; pipeline: a cohort's feature batch; study: the grid; report: its
	 * figures and page, and Run Study, which runs the grid and writes the report; at the top the
	 * entry points that may use everything below.
	 */
	private static final List<List<String>> LAYERS = List.of(List.of("command", "stats"), List.of("volume"), List.of("io"), List.of("table"),
			List.of("sim"), List.of("align"), List.of("features"), List.of("builtin"), List.of("probe"), List.of("pipeline"), List.of("study"),
			List.of("report"), List.of("spark", "demo", "ij1", "launcher", "distribution"));

	private static JavaClasses suite;

	@BeforeAll
	static void importSuite() {
		suite = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests()).importPackages(ROOT);
	}

	@Test
	void layersDependOnlyDownwards() {
		layers().check(suite);
	}

	@Test
	void noCyclesBetweenTopLevelPackages() {
		slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(suite);
	}

	@Test
	void noCyclesBetweenAnyPackages() {
		slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(suite);
	}

	@Test
	void everyClassLiesInALayer() {
		classes().should().resideInAnyPackage(LAYERS.stream().flatMap(List::stream).map(LayersTest::packages).toArray(String[]::new)).check(suite);
	}

	private static ArchRule layers() {
		LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInAnyPackage(ROOT + "..");
		for (final List<String> layer : LAYERS)
			rule = rule.layer(name(layer)).definedBy(layer.stream().map(LayersTest::packages).toArray(String[]::new));
		for (int i = 0; i < LAYERS.size() - 1; i++)
			rule = rule.whereLayer(name(LAYERS.get(i))).mayOnlyBeAccessedByLayers(
					LAYERS.subList(i + 1, LAYERS.size()).stream().map(LayersTest::name).toArray(String[]::new));
		return rule.whereLayer(name(LAYERS.get(LAYERS.size() - 1))).mayNotBeAccessedByAnyLayer();
	}

	private static String name(final List<String> layer) {
		return String.join("+", layer);
	}

	private static String packages(final String topLevel) {
		return ROOT + "." + topLevel + "..";
	}
}

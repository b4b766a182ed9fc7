package org.progressionprobe.ij1;

import java.awt.Button;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dialog;
import java.awt.EventQueue;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ij.IJ;
import ij.ImageJ;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.frame.Recorder;

/**
 * Drives ImageJ 1 as a user would, for the tests and screenshots that run under Xvfb: starts ImageJ
 * with the macro Recorder open, runs suite commands from their menu entries, fills their dialogs by
 * the fields' names (the parameter keys), presses OK or Cancel, and at the end writes what the
 * Recorder recorded. Its only dependency is ImageJ itself (the suite comes from {@code plugins.dir}).
 * Arguments: a script file and an output folder. Script lines, tab-separated:
 * <pre>
 * run      Title  key=value ...   fill the dialog(s), OK, wait for the command to finish
 * cancel   Title                  open the dialog, Cancel
 * measure  Title                  print "HEIGHT Title main|advanced px" (preferred heights), then Cancel
 * show     Title  name            as measure, with screenshots name.png (and name-advanced.png) and
 *                                 "BOUNDS name x y width height" lines for each dialog
 * menu     name   x,y ...         click the screen at each point in turn (to open menus), screenshot
 * shot     name                   screenshot of the screen (ImageMagick's import) as name.png
 * windows                         print "WINDOWS" and the titles of the open windows, "LOG" and the Log
 * close                           close every image, table and text window but the Log and the Recorder
 * </pre>
 * Writes {@code recorded.ijm} into the output folder and exits 0; any problem (an unexpected message
 * dialog, a time-out) exits 3 with a line naming it.
 */
public final class DialogDriver {

	private static final long TIMEOUT_MS = 300_000;
	/** ImageJ starts in seconds; longer means it waits behind a modal dialog. */
	private static final long START_TIMEOUT_MS = 120_000;
	private static Path out;

	private DialogDriver() {}

	public static void main(final String[] args) throws Exception {
		out = Path.of(args[1]);
		Files.createDirectories(out);
		final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
		final Thread watchdog = new Thread(() -> {
			try {
				if (started.await(START_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS))
					return;
			} catch (final InterruptedException e) {
				return;
			}
			// ImageJ's start-up can stop behind a modal error (e.g. a plugins.config it refuses): say what it says, do not hang
			for (final Window w : Window.getWindows())
				if (w.isShowing() && w instanceof Dialog)
					System.out.println("ImageJ did not start: '" + ((Dialog) w).getTitle() + "': " + text((Container) w));
			System.out.println("DRIVER FAILED: ImageJ did not start within " + START_TIMEOUT_MS / 1000 + " s");
			System.exit(1);
		}, "start-up watchdog");
		watchdog.setDaemon(true);
		watchdog.start();
		try {
			new ImageJ();
			started.countDown();
			IJ.getInstance().setLocation(0, 0);
			IJ.run("Record...");
			waitFor(() -> Recorder.getInstance() != null, "the Recorder");
			Recorder.getInstance().setLocation(0, 480);
			for (final String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
				if (line.isBlank() || line.startsWith("#"))
					continue;
				final String[] p = line.split("\t");
				System.out.println("STEP " + line.replace('\t', ' '));
				switch (p[0]) {
				case "run":
					run(p[1], values(p), false);
					break;
				case "cancel":
					run(p[1], Map.of(), true);
					break;
				case "measure":
					measure(p[1], null);
					break;
				case "show":
					measure(p[1], p[2]);
					break;
				case "menu":
					menu(p[1], java.util.Arrays.copyOfRange(p, 2, p.length));
					break;
				case "shot":
					shot(p[1]);
					break;
				case "windows":
					System.out.println("WINDOWS images: " + String.join(" | ", WindowManager.getImageTitles()) + "; others: "
							+ String.join(" | ", WindowManager.getNonImageTitles()));
					System.out.println("LOG " + IJ.getLog());
					break;
				case "close":
					EventQueue.invokeAndWait(DialogDriver::closeResults);
					break;
				default:
					throw new IllegalArgumentException("unknown step: " + line);
				}
			}
			Files.writeString(out.resolve("recorded.ijm"), Recorder.getInstance().getText(), StandardCharsets.UTF_8);
			System.out.println("DRIVER DONE");
			System.exit(0);
		} catch (final Throwable e) {
			System.out.println("DRIVER FAILED: " + e);
			e.printStackTrace(System.out);
			System.exit(3);
		}
	}

	private static void closeResults() {
		final int[] ids = WindowManager.getIDList();
		if (ids != null)
			for (final int id : ids) {
				final ij.ImagePlus imp = WindowManager.getImage(id);
				imp.changes = false;
				imp.close();
			}
		for (final Window w : WindowManager.getAllNonImageWindows())
			if (!(w instanceof Recorder) && !"Log".equals(w instanceof java.awt.Frame ? ((java.awt.Frame) w).getTitle() : ""))
				w.dispose();
	}

	private static Map<String, String> values(final String[] p) {
		final Map<String, String> v = new LinkedHashMap<>();
		for (int i = 2; i < p.length; i++) {
			final int eq = p[i].indexOf('=');
			v.put(p[i].substring(0, eq), p[i].substring(eq + 1));
		}
		return v;
	}

	/** Runs a command from its menu entry: fills its dialog(s) with {@code values} and presses OK (or Cancel). */
	static void run(final String title, final Map<String, String> values, final boolean cancel) throws Exception {
		IJ.doCommand(title);
		final GenericDialog gd = dialog(title, title);
		if (gd == null)
			return; // a command without parameters runs without a dialog
		if (cancel) {
			press(gd, "Cancel");
			waitForCommand(title);
			return;
		}
		final Map<String, String> left = new LinkedHashMap<>(values);
		fill(gd, left);
		if (!left.isEmpty()) {
			final Component advanced = find(gd, "(advanced)");
			if (advanced == null)
				throw new IllegalStateException(title + ": no fields " + left.keySet());
			EventQueue.invokeAndWait(() -> ((Checkbox) advanced).setState(true));
		}
		press(gd, "OK");
		if (!left.isEmpty()) {
			final GenericDialog second = dialog(title + ": advanced settings");
			fill(second, left);
			if (!left.isEmpty())
				throw new IllegalStateException(title + ": no fields " + left.keySet());
			press(second, "OK");
		}
		waitForCommand(title);
	}

	static void measure(final String title, final String shot) throws Exception {
		IJ.doCommand(title);
		final GenericDialog gd = dialog(title);
		System.out.println("HEIGHT\t" + title + "\tmain\t" + gd.getPreferredSize().height);
		if (shot != null) {
			shot(shot);
			System.out.println("BOUNDS\t" + shot + "\t" + gd.getX() + "\t" + gd.getY() + "\t" + gd.getWidth() + "\t" + gd.getHeight());
		}
		final Component advanced = find(gd, "(advanced)");
		if (advanced != null) {
			EventQueue.invokeAndWait(() -> ((Checkbox) advanced).setState(true));
			press(gd, "OK");
			final GenericDialog second = dialog(title + ": advanced settings");
			System.out.println("HEIGHT\t" + title + "\tadvanced\t" + second.getPreferredSize().height);
			if (shot != null) {
				shot(shot + "-advanced");
				System.out.println("BOUNDS\t" + shot + "-advanced\t" + second.getX() + "\t" + second.getY() + "\t" + second.getWidth() + "\t" + second.getHeight());
			}
			press(second, "Cancel");
		} else
			press(gd, "Cancel");
		waitForCommand(title);
	}

	private static void fill(final GenericDialog gd, final Map<String, String> left) throws Exception {
		EventQueue.invokeAndWait(() -> {
			for (final Component c : components(gd)) {
				final String name = c.getName();
				if (name == null)
					continue;
				final int colon = name.indexOf(':');
				if (colon > 0 && c instanceof Checkbox && left.containsKey(name.substring(0, colon))) {
					((Checkbox) c).setState(List.of(left.get(name.substring(0, colon)).split(",")).contains(name.substring(colon + 1)));
					continue;
				}
				if (!left.containsKey(name) || !(c instanceof TextField || c instanceof Choice || c instanceof Checkbox))
					continue; // a row of checkboxes carries its key too; its boxes were set above
				final String v = left.remove(name);
				if (c instanceof TextField)
					((TextField) c).setText(v);
				else if (c instanceof Choice)
					((Choice) c).select(v);
				else if (c instanceof Checkbox)
					((Checkbox) c).setState(Boolean.parseBoolean(v));
			}
			// list-valued keys were set box by box
			left.keySet().removeIf(k -> components(gd).stream().anyMatch(c -> c.getName() != null && c.getName().startsWith(k + ":")));
		});
	}

	private static void press(final GenericDialog gd, final String label) throws Exception {
		for (final Component c : components(gd))
			if (c instanceof Button && label.equals(((Button) c).getLabel().strip())) {
				EventQueue.invokeAndWait(() -> gd.actionPerformed(new ActionEvent(c, ActionEvent.ACTION_PERFORMED, label)));
				return;
			}
		throw new IllegalStateException(gd.getTitle() + ": no " + label + " button");
	}

	/** Waits for the dialog with this title; any other ImageJ message on screen is an error. */
	static GenericDialog dialog(final String title) throws Exception {
		return dialog(title, null);
	}

	/** Waits for the dialog with this title, or (null) for the end of the command {@code running}. */
	static GenericDialog dialog(final String title, final String running) throws Exception {
		final long end = System.currentTimeMillis() + TIMEOUT_MS;
		while (System.currentTimeMillis() < end) {
			if (running != null && !commandRunning(running))
				return null;
			for (final Window w : Window.getWindows())
				if (w.isShowing() && w instanceof Dialog) {
					if (w instanceof GenericDialog && title.equals(((Dialog) w).getTitle())) {
						Thread.sleep(300);
						return (GenericDialog) w;
					}
					if (!(w instanceof GenericDialog))
						throw new IllegalStateException("unexpected dialog '" + ((Dialog) w).getTitle() + "': " + text((Container) w));
				}
			Thread.sleep(100);
		}
		throw new IllegalStateException("no dialog '" + title + "' within " + TIMEOUT_MS / 1000 + " s");
	}

	private static void waitForCommand(final String title) throws Exception {
		Thread.sleep(200);
		waitFor(() -> !commandRunning(title), title + " to finish");
		for (final Window w : Window.getWindows())
			if (w.isShowing() && w instanceof Dialog)
				throw new IllegalStateException("dialog after " + title + ": '" + ((Dialog) w).getTitle() + "': " + text((Container) w));
	}

	private static boolean commandRunning(final String title) {
		return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(title) && t.isAlive());
	}

	private static void waitFor(final java.util.function.BooleanSupplier done, final String what) throws Exception {
		final long end = System.currentTimeMillis() + TIMEOUT_MS;
		while (!done.getAsBoolean()) {
			if (System.currentTimeMillis() > end)
				throw new IllegalStateException("waited " + TIMEOUT_MS / 1000 + " s for " + what);
			Thread.sleep(100);
		}
	}

	/** Clicks the screen at each {@code x,y} in turn (menus open on click), then takes a screenshot. */
	static void menu(final String name, final String[] clicks) throws Exception {
		final java.awt.Robot robot = new java.awt.Robot();
		// ImageJ may still place its window (centred at the top) after main's setLocation: the clicks need it at the corner
		EventQueue.invokeAndWait(() -> {
			IJ.getInstance().setLocation(0, 0);
			IJ.getInstance().toFront();
		});
		waitFor(() -> IJ.getInstance().getLocation().equals(new java.awt.Point(0, 0)), "the ImageJ window at the screen's corner");
		// the X server may place the window later than Java believes it is there (seen on a loaded machine): ask again after a pause
		Thread.sleep(1500);
		EventQueue.invokeAndWait(() -> {
			IJ.getInstance().setLocation(1, 0); // a real move, which AWT does not skip as unchanged
			IJ.getInstance().setLocation(0, 0);
		});
		Thread.sleep(1000);
		System.out.println("MENU WINDOW AT " + IJ.getInstance().getLocationOnScreen());
		for (final String xy : clicks) {
			final String[] p = xy.split(",");
			robot.mouseMove(Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip()));
			Thread.sleep(300);
			robot.mousePress(java.awt.event.InputEvent.BUTTON1_DOWN_MASK);
			robot.mouseRelease(java.awt.event.InputEvent.BUTTON1_DOWN_MASK);
			Thread.sleep(800);
		}
		shot(name);
		robot.keyPress(java.awt.event.KeyEvent.VK_ESCAPE);
		robot.keyRelease(java.awt.event.KeyEvent.VK_ESCAPE);
		robot.mouseMove(900, 700);
		robot.mousePress(java.awt.event.InputEvent.BUTTON1_DOWN_MASK);
		robot.mouseRelease(java.awt.event.InputEvent.BUTTON1_DOWN_MASK);
	}

	static void shot(final String name) throws IOException, InterruptedException {
		Thread.sleep(1500);
		final Process p = new ProcessBuilder("import", "-window", "root", out.resolve(name + ".png").toString()).inheritIO().start();
		if (p.waitFor() != 0)
			throw new IllegalStateException("import failed for " + name);
	}

	private static Component find(final Container root, final String name) {
		for (final Component c : components(root))
			if (name.equals(c.getName()))
				return c;
		return null;
	}

	private static List<Component> components(final Container root) {
		final List<Component> all = new java.util.ArrayList<>();
		for (final Component c : root.getComponents()) {
			all.add(c);
			if (c instanceof Container)
				all.addAll(components((Container) c));
		}
		return all;
	}

	private static String text(final Container root) {
		final StringBuilder sb = new StringBuilder();
		for (final Component c : components(root))
			if (c instanceof java.awt.Label)
				sb.append(((java.awt.Label) c).getText()).append(' ');
			else if (c instanceof ij.gui.MultiLineLabel)
				sb.append(lines((ij.gui.MultiLineLabel) c)).append(' ');
		return sb.toString().strip();
	}

	/** The text of an ImageJ message (MultiLineLabel keeps its lines in a field without a getter). */
	private static String lines(final ij.gui.MultiLineLabel label) {
		try {
			final java.lang.reflect.Field f = ij.gui.MultiLineLabel.class.getDeclaredField("lines");
			f.setAccessible(true);
			return String.join(" / ", (String[]) f.get(label));
		} catch (final ReflectiveOperationException | RuntimeException e) {
			return label.toString();
		}
	}
}

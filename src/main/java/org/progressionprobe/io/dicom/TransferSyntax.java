package org.progressionprobe.io.dicom;

/**
 * DICOM transfer syntaxes by UID and name, with how the data set is encoded and how its pixels are
 * compressed. Syntaxes not listed are reported by their UID; those listed with {@link Codec#NONE} as
 * unsupported are known by name so that the error can say what the file is.
 */
public enum TransferSyntax {
	IMPLICIT_LITTLE("1.2.840.10008.1.2", "Implicit VR Little Endian", Codec.NATIVE, false, false, false),
	EXPLICIT_LITTLE("1.2.840.10008.1.2.1", "Explicit VR Little Endian", Codec.NATIVE, true, false, false),
	DEFLATED("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", Codec.NATIVE, true, false, true),
	EXPLICIT_BIG("1.2.840.10008.1.2.2", "Explicit VR Big Endian", Codec.NATIVE, true, true, false),
	RLE("1.2.840.10008.1.2.5", "RLE Lossless", Codec.RLE),
	JPEG_LOSSLESS("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", Codec.JPEG_LOSSLESS),
	JPEG_LOSSLESS_SV1("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, Selection Value 1)",
			Codec.JPEG_LOSSLESS),
	JPEG2000_LOSSLESS("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", Codec.JPEG2000),
	JPEG2000("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", Codec.JPEG2000),
	JPEG_BASELINE("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1), lossy", Codec.NONE),
	JPEG_EXTENDED("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4), lossy", Codec.NONE),
	JPEG_LS_LOSSLESS("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", Codec.NONE),
	JPEG_LS_NEAR_LOSSLESS("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless)", Codec.NONE),
	JPEG2000_PART2_LOSSLESS("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component (Lossless Only)", Codec.NONE),
	JPEG2000_PART2("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component", Codec.NONE),
	JPIP("1.2.840.10008.1.2.4.94", "JPIP Referenced", Codec.NONE),
	JPIP_DEFLATE("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate", Codec.NONE),
	MPEG2("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level", Codec.NONE),
	MPEG4("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile", Codec.NONE),
	HEVC("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile", Codec.NONE),
	HTJ2K_LOSSLESS("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)", Codec.NONE),
	HTJ2K_RPCL("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)", Codec.NONE),
	HTJ2K("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000", Codec.NONE),
	JPEG_XL_LOSSLESS("1.2.840.10008.1.2.4.110", "JPEG XL Lossless", Codec.NONE),
	JPEG_XL("1.2.840.10008.1.2.4.112", "JPEG XL", Codec.NONE),
	UNKNOWN("", "an unknown transfer syntax", Codec.NONE);

	/** How pixel data is stored. */
	public enum Codec {
		NATIVE, RLE, JPEG_LOSSLESS, JPEG2000, NONE
	}

	public final String uid, title;
	public final Codec codec;
	final boolean explicit, bigEndian;
	/** True for the deflated syntax: the data set after the meta group is a raw deflate stream. */
	public final boolean deflated;

	TransferSyntax(final String uid, final String title, final Codec codec) {
		this(uid, title, codec, true, false, false);
	}

	TransferSyntax(final String uid, final String title, final Codec codec, final boolean explicit, final boolean bigEndian, final boolean deflated) {
		this.uid = uid;
		this.title = title;
		this.codec = codec;
		this.explicit = explicit;
		this.bigEndian = bigEndian;
		this.deflated = deflated;
	}

	/** The syntax of a UID; unknown UIDs give {@link #UNKNOWN} (explicit VR little endian, as all compressed syntaxes are). */
	static TransferSyntax of(final String uid) {
		for (final TransferSyntax t : values())
			if (t.uid.equals(uid))
				return t;
		return UNKNOWN;
	}

	/** The sentence for a syntax whose pixels cannot be decoded: its name, its UID, and a way out. */
	public static String unsupported(final String title, final String uid) {
		return title + ", " + uid + ", is not supported; convert with dcm2niix or gdcmconv (e.g. gdcmconv --raw in.dcm out.dcm)";
	}
}

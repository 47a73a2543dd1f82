package org.layerlens.engine.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A Pascal VOC annotation file: objects with class name, box and the difficult flag, and the
 * image size its {@code <size>} element states (0 where it has none).
 */
public record VocAnnotation(Path file, List<Box> objects, int width, int height) {
    public VocAnnotation(Path file, List<Box> objects) {
        this(file, objects, 0, 0);
    }

    /** A ground-truth box in 0-based pixel coordinates (VOC's 1-based values minus 1, as pytorch-ssd). */
    public record Box(String name, float x1, float y1, float x2, float y2, boolean difficult) {
        /** The box as the file writes it, "x1,y1,x2,y2": VOC counts pixels from 1 (read, they are 0-based, as upstream's). */
        public String asWritten() {
            return String.format(java.util.Locale.ROOT, "%.0f,%.0f,%.0f,%.0f", x1 + 1, y1 + 1, x2 + 1, y2 + 1);
        }
    }

    public static VocAnnotation read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            // the parser's own handler prints "[Fatal Error] ..." to stderr; the exception says it once
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
            Document doc = b.parse(in);
            List<Box> boxes = new ArrayList<>();
            NodeList objs = doc.getElementsByTagName("object");
            for (int i = 0; i < objs.getLength(); i++) {
                Element o = (Element) objs.item(i);
                Element bb = (Element) o.getElementsByTagName("bndbox").item(0);
                String diff = text(o, "difficult");
                boxes.add(new Box(text(o, "name").strip(), num(bb, "xmin") - 1, num(bb, "ymin") - 1,
                        num(bb, "xmax") - 1, num(bb, "ymax") - 1, "1".equals(diff == null ? null : diff.strip())));
            }
            Element size = (Element) doc.getElementsByTagName("size").item(0);
            return new VocAnnotation(file, boxes, dimension(size, "width"), dimension(size, "height"));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(file + ": not a readable VOC annotation (" + e.getMessage() + ")", e);
        }
    }

    /** A positive whole number from {@code <size>}, or 0 when it is missing or not one. */
    private static int dimension(Element size, String tag) {
        String t = size == null ? null : text(size, tag);
        try {
            int v = t == null ? 0 : (int) Math.round(Double.parseDouble(t.strip()));
            return Math.max(0, v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String text(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : l.item(0).getTextContent();
    }

    private static float num(Element e, String tag) throws IOException {
        String t = e == null ? null : text(e, tag);
        if (t == null) {
            throw new IOException("missing " + tag);
        }
        return Float.parseFloat(t.strip());
    }
}

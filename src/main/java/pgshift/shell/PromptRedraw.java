package pgshift.shell;

import org.jline.reader.LineReader;
import org.jline.reader.impl.LineReaderImpl;

/**
 * Replaces the prompt of a line being typed, from another thread (the watch's), keeping the typing.
 * CLEAR erases what JLine shows (prompt and typing) and REDISPLAY draws the new prompt and the
 * typing afresh: the old prompt's tail goes even when the new one is shorter, on every terminal
 * type. REDRAW_LINE instead makes JLine forget what it showed and write over it, which left
 * "[watching]> ked on 4]> " behind; REDISPLAY alone needs cursor movement, which a dumb
 * terminal does not have.
 */
final class PromptRedraw {

    private PromptRedraw() {
    }

    /** Shows the new prompt if the reader is reading; else does nothing (the next prompt is computed afresh). */
    static void redraw(LineReader reader, String prompt) {
        if (reader instanceof LineReaderImpl impl && impl.isReading()) {
            try {
                impl.callWidget(LineReader.CLEAR);
                impl.setPrompt(prompt);
                impl.callWidget(LineReader.REDISPLAY);
            } catch (IllegalStateException e) {
                // the line was accepted meanwhile: the next prompt is computed afresh anyway
            }
        }
    }
}

package dev.sluice;

/**
 * Name resolution failed. Besides the portable errno (ENOENT for an unknown name, EAGAIN for a
 * temporary failure) it keeps the resolver's own code and text, e.g. "Name or service not known".
 */
public class ResolutionException extends SluiceException {
    private static final long serialVersionUID = 1L;

    private final int resolverCode;
    private final String resolverText;

    public ResolutionException(String operation, Errno errno, int resolverCode, String resolverText) {
        super(operation + " (" + resolverText + ")", errno, 0);
        this.resolverCode = resolverCode;
        this.resolverText = resolverText;
    }

    /** The resolver's own code (an EAI_* value on POSIX). */
    public int resolverCode() {
        return resolverCode;
    }

    /** The resolver's text for it (gai_strerror). */
    public String resolverText() {
        return resolverText;
    }
}

package dev.gatehouse.servlet;

import dev.gatehouse.web.QueryString;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request passed down the chain, for when Gatehouse reads its body (a CSRF check looking for
 * {@code csrf_token} in a form, an API token in a JSON body): in the filter, or later — a handler
 * interceptor's access check ({@link GatehouseServlet#enforce}), a servlet asking for the current
 * user. Once Gatehouse has read it, the container's input stream is used up, so the application
 * gets the same bytes again, and its {@code getParameter} the form's fields parsed from them (with
 * the query's), by the same UTF-8 parser Gatehouse used rather than the container's. Until then
 * every call goes to the container's request.
 */
final class ReadBodyRequest extends HttpServletRequestWrapper {

    private final ServletWebRequest webRequest;
    private Map<String, String[]> parameters;

    ReadBodyRequest(HttpServletRequest request, ServletWebRequest webRequest) {
        super(request);
        this.webRequest = webRequest;
    }

    /** The parameters from the query and the body Gatehouse read, parsed once. */
    private Map<String, String[]> parameters() {
        if (parameters == null) {
            HttpServletRequest request = (HttpServletRequest) getRequest();
            Map<String, List<String>> all = QueryString.parameters(request.getQueryString());
            if (isForm(request.getContentType())) {
                QueryString.parameters(new String(webRequest.bodyBytes(), StandardCharsets.UTF_8))
                        .forEach((name, values) -> all.merge(name, values, (a, b) -> concat(a, b)));
            }
            Map<String, String[]> arrays = new LinkedHashMap<>();
            all.forEach((name, values) -> arrays.put(name, values.toArray(String[]::new)));
            parameters = Collections.unmodifiableMap(arrays);
        }
        return parameters;
    }

    private static boolean isForm(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        a.addAll(b);
        return a;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (!webRequest.bodyRead()) {
            return super.getInputStream();
        }
        ByteArrayInputStream in = new ByteArrayInputStream(webRequest.bodyBytes());
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new IllegalStateException("the body was read already; it is available without waiting");
            }
        };
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (!webRequest.bodyRead()) {
            return super.getReader();
        }
        String encoding = getCharacterEncoding();
        Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    @Override
    public String getParameter(String name) {
        if (!webRequest.bodyRead()) {
            return super.getParameter(name);
        }
        String[] values = parameters().get(name);
        return values == null ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return webRequest.bodyRead() ? parameters() : super.getParameterMap();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return webRequest.bodyRead() ? Collections.enumeration(parameters().keySet()) : super.getParameterNames();
    }

    @Override
    public String[] getParameterValues(String name) {
        if (!webRequest.bodyRead()) {
            return super.getParameterValues(name);
        }
        String[] values = parameters().get(name);
        return values == null ? null : values.clone();
    }
}

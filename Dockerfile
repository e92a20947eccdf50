# Build stage: compile and package the shaded jar with Maven on JDK 17.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests -Dparley.cds.skip=true package

# Run stage: a JRE only, as an unprivileged user.
FROM eclipse-temurin:17-jre
RUN useradd --system --create-home --home-dir /var/lib/parley parley
WORKDIR /var/lib/parley
COPY --from=build /src/target/parley.jar /opt/parley/parley.jar
# A class-data-sharing archive for faster starts (docs/benchmark.md): made here, by this image's JVM, for this
# jar at this path and with the same collector as the ENTRYPOINT (ZGC has no compressed oops, and an archive made
# with them is refused). The training needs no server and never fails the build: without an archive (a warning)
# the JVM starts as it would without the flag.
RUN java -cp /opt/parley/parley.jar dev.parley.app.CdsTraining --archive /opt/parley/parley.jsa -XX:+UseZGC
COPY conf /etc/parley
RUN mkdir -p /var/lib/parley/transcripts && chown -R parley /var/lib/parley
USER parley
# The web view (docs/web.md): on, on every interface of the container; publish it with -p 8080:8080.
ENV PARLEY_HTTP_ENABLED=true PARLEY_HTTP_BIND=0.0.0.0
EXPOSE 8080
# A JRE image has no curl: parley asks its own /healthz (and says healthy when the web view is off).
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", "/opt/parley/parley.jar", "healthcheck", "--config", "/etc/parley/parley.conf"]
# conf/ is mounted over /etc/parley; transcripts and journals (the state a restart resumes from) live here.
VOLUME ["/etc/parley", "/var/lib/parley/transcripts"]
# ZGC keeps pauses under a millisecond, so turns stay on time with many conversations (see docs/benchmark.md).
ENTRYPOINT ["java", "-XX:+UseZGC", "-XX:SharedArchiveFile=/opt/parley/parley.jsa", "-jar", "/opt/parley/parley.jar"]
CMD ["run", "--config", "/etc/parley/parley.conf"]

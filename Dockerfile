# Build stage: compile and package the shaded jar with Maven on JDK 17.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests package

# Run stage: a JRE only, as an unprivileged user.
FROM eclipse-temurin:17-jre
RUN useradd --system --create-home --home-dir /var/lib/parley parley
WORKDIR /var/lib/parley
COPY --from=build /src/target/parley.jar /opt/parley/parley.jar
COPY conf /etc/parley
RUN mkdir -p /var/lib/parley/transcripts && chown -R parley /var/lib/parley
USER parley
# conf/ is mounted over /etc/parley; transcripts and journals (the state a restart resumes from) live here.
VOLUME ["/etc/parley", "/var/lib/parley/transcripts"]
# ZGC keeps pauses under a millisecond, so turns stay on time with many conversations (see docs/benchmark.md).
ENTRYPOINT ["java", "-XX:+UseZGC", "-jar", "/opt/parley/parley.jar"]
CMD ["run", "--config", "/etc/parley/parley.conf"]

# A small image holding only the static paralign binary (musl):
#   docker build -t paralign .
#   docker run --rm -v "$PWD:/work" paralign check docs
FROM docker.io/library/rust:1-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
RUN cargo build --release --locked && cp target/release/paralign /paralign

FROM scratch
COPY --from=build /paralign /paralign
WORKDIR /work
ENTRYPOINT ["/paralign"]
CMD ["--help"]
